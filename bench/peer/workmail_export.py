#!/usr/bin/env python3
"""What an administrator would otherwise write: every mailbox permission of a WorkMail organization
as CSV, with boto3, one call after another and boto3's standard retries.

The benchmark (bench/peer.ts) runs it beside the product's own export on the same emulator settings,
times both and checks that they wrote the same permission rows. It writes the permission columns of
the product's export, in its order, so the two can be compared (not read_at, route and details,
which the comparison leaves out: bench/lib.ts PEER_COMPARISON); nothing else in it is tuned.

    python3 bench/peer/workmail_export.py --organization m-... --region us-east-1 \
        [--endpoint http://127.0.0.1:4510] [--profile NAME] [--out FILE]
"""
import argparse
import csv
import sys

import boto3
from botocore.config import Config

# The product's export columns, in its order: names and addresses first, IDs last.
COLUMNS = [
    "mailbox_name", "mailbox_email", "grantee_name", "grantee_email", "rights", "mailbox_kind",
    "mailbox_state", "grantee_kind", "grantee_state", "organization", "mailbox_id", "grantee_id",
]


def list_all(client, operation, key, org_id):
    """Every item of a paginated List call."""
    items = []
    for page in client.get_paginator(operation).paginate(OrganizationId=org_id):
        items.extend(page.get(key, []))
    return items


def entity(kind, item):
    return {"id": item["Id"], "name": item.get("Name", ""), "email": item.get("Email", ""),
            "kind": kind, "state": item.get("State", "")}


def describe(client, org_id, grantee_id, grantee_type):
    """A grantee the directory did not list (usually deleted): ask once, None if WorkMail does not know it."""
    try:
        if grantee_type == "GROUP":
            found = client.describe_group(OrganizationId=org_id, GroupId=grantee_id)
            return {"id": grantee_id, "name": found.get("Name", ""), "email": found.get("Email", ""),
                    "kind": "group", "state": found.get("State", "")}
        found = client.describe_user(OrganizationId=org_id, UserId=grantee_id)
        return {"id": grantee_id, "name": found.get("Name", ""), "email": found.get("Email", ""),
                "kind": "user", "state": found.get("State", "")}
    except client.exceptions.EntityNotFoundException:
        return None


# Spreadsheets run cells starting with these as formulas: the product guards them the same way.
def cell(value):
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organization", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--endpoint")
    parser.add_argument("--profile")
    parser.add_argument("--out")
    args = parser.parse_args()

    session = boto3.Session(profile_name=args.profile, region_name=args.region)
    client = session.client("workmail", endpoint_url=args.endpoint,
                            config=Config(retries={"mode": "standard"}))
    org = args.organization

    directory = {}
    for kind, operation, key in (("user", "list_users", "Users"), ("group", "list_groups", "Groups"),
                                 ("resource", "list_resources", "Resources")):
        for item in list_all(client, operation, key, org):
            directory[item["Id"]] = entity(kind, item)

    unknown = {}
    rows = []
    failed = 0
    for mailbox in list(directory.values()):
        permissions = []
        try:
            for page in client.get_paginator("list_mailbox_permissions").paginate(OrganizationId=org, EntityId=mailbox["id"]):
                permissions.extend(page.get("Permissions", []))
        except client.exceptions.EntityStateException:
            # A user without a mailbox has no permissions to read.
            if mailbox["kind"] == "user" and not mailbox["email"]:
                continue
            raise
        except Exception as error:  # noqa: BLE001 - counted and reported, as an administrator would
            failed += 1
            print(f"could not read {mailbox['id']}: {error}", file=sys.stderr)
            continue
        for permission in permissions:
            grantee_id = permission["GranteeId"]
            grantee_type = permission.get("GranteeType", "USER")
            grantee = directory.get(grantee_id)
            if grantee is None:
                if grantee_id not in unknown:
                    unknown[grantee_id] = describe(client, org, grantee_id, grantee_type)
                grantee = unknown[grantee_id]
            rows.append({
                "organization": org, "mailbox_id": mailbox["id"], "mailbox_name": mailbox["name"],
                "mailbox_email": mailbox["email"], "mailbox_kind": mailbox["kind"], "mailbox_state": mailbox["state"],
                "grantee_id": grantee_id,
                "grantee_name": grantee["name"] if grantee else "", "grantee_email": grantee["email"] if grantee else "",
                "grantee_kind": grantee["kind"] if grantee else grantee_type.lower(),
                "grantee_state": grantee["state"] if grantee else "UNKNOWN",
                "rights": ";".join(permission.get("PermissionValues", [])),
            })

    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([cell(row[column]) for column in COLUMNS])
    if args.out:
        out.close()
    print(f"{len(rows)} rows, {len(directory)} mailboxes, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
