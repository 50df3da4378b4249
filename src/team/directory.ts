/** What the core needs to know about a person from the chat platform. */
export interface Profile {
  id: string;
  name: string;
  email: string | null;
  tz: string | null;
}

/** The port to the team's directory (Slack's users.info). */
export interface Directory {
  /** Null when the platform does not know this user. */
  lookup(userId: string): Promise<Profile | null>;
}

/** For front ends with no directory (the terminal): nobody can be looked up. */
export const noDirectory: Directory = { lookup: async () => null };
