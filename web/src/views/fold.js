// Cards that fold (details/summary): open on a wide window, folded on a phone-sized one, so the
// proposal page shows its editor first and sign-offs and history a tap away. The heading stays
// in the summary, so a folded card still says what it holds.

const WIDE = '(min-width: 901px)';

/** Whether a fold starts open: on a wide window. */
export const foldOpen = () => window.matchMedia(WIDE).matches;
