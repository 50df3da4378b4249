import type { Clock } from '../clock.ts';
import type { Member } from '../domain/member.ts';
import { isTimeZone } from '../domain/fields.ts';
import type { Store } from '../store/store.ts';
import type { Directory, Profile } from './directory.ts';

/** Profiles (name, zone) are read again after this long, so a move to another zone is noticed. */
const profileMaxAgeMs = 24 * 60 * 60 * 1000;

/**
 * The team member behind a user id, created on first use. The first person to
 * use guanxi becomes its admin; everyone after is a rep until an admin says otherwise.
 */
export async function ensureMember(
  deps: { store: Store; directory: Directory; clock: Clock },
  userId: string,
  fallbackName: string = userId,
): Promise<Member> {
  const now = deps.clock.now();
  const known = await deps.store.members.get(userId);
  if (known && known.profileCheckedAt && now.getTime() - Date.parse(known.profileCheckedAt) < profileMaxAgeMs) {
    return known;
  }
  const profile = await deps.directory.lookup(userId);
  const member: Member = known
    ? { ...known, ...fromProfile(profile, known.name), profileCheckedAt: profile ? now.toISOString() : known.profileCheckedAt }
    : {
        id: userId,
        ...fromProfile(profile, fallbackName),
        role: (await deps.store.members.list()).length === 0 ? 'admin' : 'rep',
        managerId: null,
        createdAt: now.toISOString(),
        profileCheckedAt: profile ? now.toISOString() : null,
      };
  if (!known || JSON.stringify(known) !== JSON.stringify(member)) await deps.store.members.put(member);
  return member;
}

function fromProfile(profile: Profile | null, fallbackName: string): Pick<Member, 'name' | 'email' | 'tz'> {
  return {
    name: profile?.name ?? fallbackName,
    email: profile?.email?.toLowerCase() ?? null,
    tz: profile?.tz && isTimeZone(profile.tz) ? profile.tz : null,
  };
}
