// One order for mailbox IDs wherever the plan sorts or breaks a tie: by code unit, not by locale,
// so the same snapshot gives the same waves on every machine and in every language.
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
