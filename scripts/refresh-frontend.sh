#!/usr/bin/env bash
# Rebuild Hamlet's vendored front end from the pinned npm packages.
#
#   scripts/refresh-frontend.sh
#
# 1. `npm ci` in frontend/ (exact versions from frontend/package-lock.json)
# 2. compile frontend/hamlet.scss -> static/css/hamlet.css (compressed)
# 3. re-copy GOV.UK Frontend + MoJ Frontend JS (+ source maps), the images
#    the CSS needs (never the GOV.UK crown/crest or MoJ crest) and licences
#    into static/vendor/, and axe-core into tests/vendor/axe-core/
# 4. check the CSS (no GDS Transport, no fonts, every url() exists)
# 5. rewrite static/vendor/VERSIONS.md
#
# Only Node/npm (>= 20) and the npm registry are needed, and only here: the
# results are committed, so running/testing Hamlet needs no node.
# Output is reproducible: VERSIONS.md contains no "today" date, only data
# derived from package-lock.json (plus registry publish dates of the pinned
# versions), so running this twice gives byte-identical files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
NM="$FRONTEND/node_modules"
STATIC="$ROOT/static"
VENDOR="$STATIC/vendor"
AXE_DEST="$ROOT/tests/vendor/axe-core"

GOVUK_SRC="$NM/govuk-frontend/dist/govuk"
MOJ_SRC="$NM/@ministryofjustice/frontend/moj"

# Images to vendor, as globs over each package's assets/images/ (allowlist,
# so that new logo/crest files in a future release are never picked up).
# GOV.UK Frontend: none. Every image it ships (favicon.ico, favicon.svg,
# govuk-icon-*.png, govuk-icon-mask.svg, govuk-opengraph-image.png,
# govuk-crest.svg) is the GOV.UK crown/crest, reserved for GOV.UK domains,
# and hamlet.scss maps the only one its CSS uses (the crest) to `none`.
GOVUK_IMAGES=()
# MoJ Frontend: the component icons. Not govuk-logotype-crown.png,
# moj-logotype-crest-*, moj-apple-touch-icon-* or moj-opengraph-image-*.
MOJ_IMAGES=("icon-*")

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' \
  || die "node >= 20 required (found $(node --version))"

# --- 1. install ---------------------------------------------------------------
log "npm ci (frontend/)"
# --ignore-scripts: nothing we use needs an install script (the only one is
# sass's optional native file watcher, unused for one-off compiles).
(cd "$FRONTEND" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

# --- 2. compile SCSS ----------------------------------------------------------
log "sass frontend/hamlet.scss -> static/css/hamlet.css"
mkdir -p "$STATIC/css"
rm -f "$STATIC/css/hamlet.css" "$STATIC/css/hamlet.css.map"
# --load-path=. : MoJ Frontend loads "node_modules/govuk-frontend/...".
# MoJ Frontend 11.1.0 triggers one GOV.UK deprecation warning
# (`govuk-text-colour` mixin); it cannot be silenced from here and is harmless.
(cd "$FRONTEND" && "$NM/.bin/sass" --no-source-map --style=compressed \
  --load-path=. hamlet.scss "$STATIC/css/hamlet.css")

# --- 3. copy vendored files ---------------------------------------------------
copy_images() { # src_dir dest_dir glob...
  local src="$1" dest="$2" pattern f
  shift 2
  for pattern in "$@"; do
    for f in "$src"/$pattern; do
      [[ -f "$f" ]] || die "no image matches $src/$pattern"
      mkdir -p "$dest"
      cp "$f" "$dest/"
    done
  done
}

copy_module() { # src_js dest_dir
  local src="$1" dest="$2" map
  cp "$src" "$dest/"
  # collectstatic's manifest storage fails if a sourceMappingURL target is
  # missing, so always ship the map the bundle points at.
  map="$(sed -n 's|^.*//# sourceMappingURL=\([^ ]*\)[[:space:]]*$|\1|p' "$src" | tail -n 1)"
  if [[ -n "$map" ]]; then
    [[ -f "$(dirname "$src")/$map" ]] || die "$src references missing $map"
    cp "$(dirname "$src")/$map" "$dest/"
  fi
}

log "copy GOV.UK Frontend -> static/vendor/govuk-frontend/"
rm -rf "$VENDOR/govuk-frontend"
mkdir -p "$VENDOR/govuk-frontend"
copy_module "$GOVUK_SRC/govuk-frontend.min.js" "$VENDOR/govuk-frontend"
copy_images "$GOVUK_SRC/assets/images" "$VENDOR/govuk-frontend/assets/images" "${GOVUK_IMAGES[@]}"
cp "$FRONTEND/licences/govuk-frontend.LICENSE.txt" "$VENDOR/govuk-frontend/LICENSE.txt"

log "copy MoJ Frontend -> static/vendor/moj-frontend/"
rm -rf "$VENDOR/moj-frontend"
mkdir -p "$VENDOR/moj-frontend"
copy_module "$MOJ_SRC/moj-frontend.min.js" "$VENDOR/moj-frontend"
copy_images "$MOJ_SRC/assets/images" "$VENDOR/moj-frontend/assets/images" "${MOJ_IMAGES[@]}"
cp "$FRONTEND/licences/moj-frontend.LICENSE.txt" "$VENDOR/moj-frontend/LICENSE.txt"

log "copy axe-core -> tests/vendor/axe-core/"
rm -rf "$AXE_DEST"
mkdir -p "$AXE_DEST"
cp "$NM/axe-core/axe.min.js" "$NM/axe-core/LICENSE" "$NM/axe-core/LICENSE-3RD-PARTY.txt" "$AXE_DEST/"

# --- 4. sanity checks -----------------------------------------------------------
log "check static/css/hamlet.css"
CSS="$STATIC/css/hamlet.css"
if grep -qi 'GDS Transport' "$CSS"; then die "hamlet.css mentions GDS Transport"; fi
if grep -q '@font-face' "$CSS"; then die "hamlet.css contains @font-face"; fi
if grep -Eqi 'url\([^)]*\.(woff2?|ttf|otf|eot)' "$CSS"; then die "hamlet.css references font files"; fi
if grep -Eqi 'crest|crown' <(grep -o 'url([^)]*)' "$CSS"); then die "hamlet.css references a crest/crown image"; fi
missing=0
while IFS= read -r url; do
  case "$url" in data:* | \#* | http:* | https:* | //*) continue ;; esac
  path="${url%%[?#]*}"
  if [[ ! -f "$STATIC/css/$path" ]]; then
    printf 'ERROR: hamlet.css url(%s) -> missing static/css/%s\n' "$url" "$path" >&2
    missing=1
  fi
done < <(grep -o 'url([^)]*)' "$CSS" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']\$//" | sort -u)
[[ "$missing" == 0 ]] || die "hamlet.css references missing files"
if find "$VENDOR" -type f | grep -Eqi 'crest|crown|logotype|favicon|touch-icon|opengraph'; then
  die "a crest/crown/logo image was vendored"
fi

# --- 5. VERSIONS.md ---------------------------------------------------------------
log "write static/vendor/VERSIONS.md"
# Publish dates of the pinned versions come from the registry (deterministic
# for a given lock file); the "as of" date is the newest of them.
publish_dates="{}"
for pkg in govuk-frontend @ministryofjustice/frontend axe-core sass; do
  version="$(node -p "require('$FRONTEND/package-lock.json').packages['node_modules/$pkg'].version")"
  if when="$(cd "$FRONTEND" && npm view "$pkg@$version" time --json 2>/dev/null \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const t=JSON.parse(s)[process.argv[1]];if(!t)process.exit(1);console.log(t.slice(0,10))})' "$version")"; then
    publish_dates="$(node -e 'const o=JSON.parse(process.argv[1]);o[process.argv[2]]=process.argv[3];console.log(JSON.stringify(o))' "$publish_dates" "$pkg" "$when")"
  else
    log "warning: could not read the publish date of $pkg@$version from the registry"
  fi
done

ROOT="$ROOT" PUBLISH_DATES="$publish_dates" node <<'NODE' > "$VENDOR/VERSIONS.md"
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const root = process.env.ROOT;
const lock = JSON.parse(fs.readFileSync(path.join(root, "frontend/package-lock.json"), "utf8"));
const dates = JSON.parse(process.env.PUBLISH_DATES);
const pkg = (name) => {
  const p = lock.packages[`node_modules/${name}`];
  if (!p) throw new Error(`${name} is not in frontend/package-lock.json`);
  return { name, ...p, published: dates[name] || "unknown" };
};
const vendored = [
  { ...pkg("govuk-frontend"), dest: "static/vendor/govuk-frontend/" },
  { ...pkg("@ministryofjustice/frontend"), dest: "static/vendor/moj-frontend/" },
  { ...pkg("axe-core"), dest: "tests/vendor/axe-core/" },
];
const build = [{ ...pkg("sass"), dest: "compiles static/css/hamlet.css" }];
const known = Object.values(dates).sort();
const asOf = known.length ? known[known.length - 1] : "unknown";

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
const files = ["static/vendor/govuk-frontend", "static/vendor/moj-frontend", "tests/vendor/axe-core"]
  .flatMap((d) => walk(path.join(root, d)))
  .concat([path.join(root, "static/css/hamlet.css")])
  .map((f) => path.relative(root, f).split(path.sep).join("/"))
  .filter((f) => f !== "static/vendor/VERSIONS.md")
  .sort();
const sha256 = (f) => crypto.createHash("sha256").update(fs.readFileSync(path.join(root, f))).digest("hex");

const row = (p) => `| \`${p.name}\` | ${p.version} | ${p.license} | ${p.published} | \`${p.integrity}\` | ${p.dest} |`;
const head = "| Package | Version | Licence | Published | npm integrity (package-lock.json) | Used for |\n|---|---|---|---|---|---|";
const out = `# Vendored front-end packages

Generated by \`scripts/refresh-frontend.sh\` from \`frontend/package-lock.json\`
(do not edit by hand). As of ${asOf} (newest publish date of the pinned versions).

${head}
${vendored.map(row).join("\n")}

Build tool (not shipped):

${head}
${build.map(row).join("\n")}

Notes:

- \`static/css/hamlet.css\` is compiled from \`frontend/hamlet.scss\` (GOV.UK
  Frontend + MoJ Frontend, Arial, no GDS Transport font, no crown/crest).
- No GOV.UK Frontend images are vendored: all of them are the GOV.UK
  crown/crest (favicons included). MoJ Frontend: \`icon-*\` images only.
- The GOV.UK Frontend and MoJ Frontend npm packages ship no licence file;
  their MIT licence texts come from \`frontend/licences/\`.
- \`moment\` (a peer dependency of MoJ Frontend, installed by npm) is only used
  by MoJ's Nunjucks date filters and is not vendored.

## Files (sha256)

${files.map((f) => `- \`${f}\` \`${sha256(f)}\``).join("\n")}
`;
process.stdout.write(out);
NODE

log "done - review 'git status' / 'git diff --stat' and commit"
