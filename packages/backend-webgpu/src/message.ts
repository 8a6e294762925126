/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  return (error as Error | undefined)?.message ?? String(error);
}
