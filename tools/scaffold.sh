#!/usr/bin/env bash
# Creates a new Nx project with Tracklane's layout:
#   tools/scaffold.sh libs/<name> <tag>     tag: type:feature | type:platform | type:contracts
#   tools/scaffold.sh apps/<name> type:app
# then registers a lib's path alias (@tracklane/<name>) in tsconfig.base.json.
set -euo pipefail
dir="${1:?usage: scaffold.sh <apps|libs>/<name> <tag>}"
tag="${2:?tag required}"
name="$(basename "$dir")"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -e "$dir" ] && { echo "$dir exists" >&2; exit 1; }
mkdir -p "$dir/src" "$dir/test"
kind=library; [[ "$dir" == apps/* ]] && kind=application

targets='"test": {}, "int-test": {}, "typecheck": {}, "lint": {}'
[ "$kind" = application ] && targets="$targets, \"build\": {}"
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$kind",
  "tags": ["$tag"],
  "targets": { $targets }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "test/**/*.ts", "*.ts"]
}
JSON
cat > "$dir/jest.config.js" <<JS
module.exports = {
  displayName: '$name',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
JS
if [ "$kind" = application ]; then
  cat > "$dir/tsconfig.app.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "outDir": "../../dist/apps/$name", "rootDir": "../.." },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts"]
}
JSON
else
  echo "export {};" > "$dir/src/index.ts"
  node -e '
    const fs = require("fs");
    const config = JSON.parse(fs.readFileSync("tsconfig.base.json", "utf8"));
    config.compilerOptions.paths[`@tracklane/${process.argv[1]}`] = [`${process.argv[2]}/src/index.ts`];
    config.compilerOptions.paths = Object.fromEntries(Object.entries(config.compilerOptions.paths).sort());
    fs.writeFileSync("tsconfig.base.json", JSON.stringify(config, null, 2) + "\n");
  ' "$name" "$dir"
fi
echo "created $dir ($kind, $tag)"
