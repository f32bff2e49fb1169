import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * An esbuild plugin that lets tree-shaking work on the AWS SDK's generated schemas.
 *
 * Each client keeps every operation's schema in one module (dist-es/schemas/schemas_0.js) written as
 * plain arrays, but with computed keys such as `{ [_xN]: _it }` where `_xN` is a string constant of
 * the same module. esbuild must assume a computed key may run code (a `toString`), so it keeps every
 * schema whatever is imported: @aws-sdk/client-ec2 alone adds 550 kB to a function that sends three
 * describe calls (aws/aws-sdk-js-v3#7607). Replacing each such key by the string it names is the same
 * object, and lets esbuild drop the schemas nothing uses. Only keys naming a `const _x = "…"` of the
 * same file are touched.
 */
export const pureSchemaKeys: Plugin = {
  name: 'pure-schema-keys',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      async (args) => ({
        contents: literalSchemaKeys(await readFile(args.path, 'utf8')),
        loader: 'js',
      }),
    );
  },
};

/** The module with every `[_name]:` key whose `_name` is a top-level string constant spelled out. */
export function literalSchemaKeys(source: string): string {
  const constants = new Map<string, string>();
  for (const match of source.matchAll(/^const (_[A-Za-z0-9_$]+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    constants.set(match[1] as string, match[2] as string);
  }
  return source.replace(/\[(_[A-Za-z0-9_$]+)\]:/g, (key, name: string) => {
    const literal = constants.get(name);
    return literal === undefined ? key : `${literal}:`;
  });
}
