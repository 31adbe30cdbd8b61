// @ts-check
// TypeDoc plugin for the API reference (`pnpm docs:api`): entry points are source files
// (packages/<pkg>/src/index.ts, so no build is needed), which TypeDoc would name `core/src`,
// `ledger/src/devchain`. Readers import `@cradle/core` and `@cradle/ledger/devchain`: use those names.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (_context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const m = /^([a-z-]+)\/src(?:\/(.+))?$/.exec(reflection.name);
    if (m !== null) reflection.name = `@cradle/${m[1]}${m[2] === undefined ? '' : `/${m[2]}`}`;
  });
}
