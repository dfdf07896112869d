// Masks with `*` (any run) and `?` (one character), whole text, case-insensitive — matched with
// the classic two-pointer algorithm (back up to the last `*` only), so the time is bounded by
// mask length × text length whatever the input. A mask turned into a backtracking RegExp
// (`^.*a.*a.*$`) can take polynomial time on a long attacker-chosen address or file name.
export function globMatch(mask: string, text: string): boolean {
  const m = mask.toLowerCase();
  const t = text.toLowerCase();
  let mi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    const c = m[mi];
    if (c === '*') {
      star = mi++;
      resume = ti;
    } else if (mi < m.length && (c === '?' || c === t[ti])) {
      mi++;
      ti++;
    } else if (star !== -1) {
      mi = star + 1;
      ti = ++resume;
    } else return false;
  }
  while (m[mi] === '*') mi++;
  return mi === m.length;
}
