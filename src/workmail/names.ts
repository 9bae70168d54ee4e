// What a person calls a user, group or resource, the same in the tree, the commands' messages and
// the command-line tool: the display name, else the name, else the address, else the ID. An
// empty display name (WorkMail allows "") counts as none.
import type { DirectoryEntity } from './types';

export function entityName(entity: Pick<DirectoryEntity, 'id' | 'displayName' | 'name' | 'email'>): string {
  return entity.displayName || entity.name || entity.email || entity.id;
}
