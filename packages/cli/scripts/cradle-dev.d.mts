/** True when every workspace package the CLI runs on has a dist/ written after its last source change. */
export function builtIsFresh(root?: string): boolean;
