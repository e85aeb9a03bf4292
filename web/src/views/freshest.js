// A read (REST or hub) can be overtaken by the pushes that follow it: the answer to a read
// started before a change may arrive after that change was pushed. These keep what is newest.

/**
 * The proposal list from a read, with every summary that a push showed newer (by `version`),
 * and the proposals pushed that the read did not know yet (created while it was in flight).
 * `pushed`: Map proposalId → the newest summary pushed so far.
 */
export function mergeSummaries(fetched, pushed) {
  const ids = new Set(fetched.map((p) => p.proposalId));
  return [
    ...fetched.map((p) => {
      const newer = pushed.get(p.proposalId);
      return newer && newer.version > p.version ? newer : p;
    }),
    ...[...pushed.values()].filter((p) => !ids.has(p.proposalId)),
  ];
}

/** Records a pushed summary unless an equal or newer one is already known. */
export function rememberPushed(pushed, summary) {
  const known = pushed.get(summary.proposalId);
  if (!known || known.version < summary.version) pushed.set(summary.proposalId, summary);
}

/** The newer of two progress overviews (by the time the server computed them, `at`). */
export function newerOverview(current, candidate) {
  if (!current) return candidate;
  return Date.parse(candidate.at) >= Date.parse(current.at) ? candidate : current;
}
