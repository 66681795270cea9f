/** Placeholder replaced below. */
export interface NumberProvider { name: string }
