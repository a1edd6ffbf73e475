# A few licenses under nixpkgs' names, enough for `meta.license` lines in user
# files to evaluate. Unknown names fail only when the value is used.
{ lib }:

let
  mk = shortName: spdxId: fullName: { inherit shortName spdxId fullName; deprecated = false; free = true; redistributable = true; };
in
{
  mit = mk "mit" "MIT" "MIT License";
  asl20 = mk "asl20" "Apache-2.0" "Apache License 2.0";
  bsd2 = mk "bsd2" "BSD-2-Clause" "BSD 2-clause \"Simplified\" License";
  bsd3 = mk "bsd3" "BSD-3-Clause" "BSD 3-clause \"New\" or \"Revised\" License";
  gpl2Only = mk "gpl2Only" "GPL-2.0-only" "GNU General Public License v2.0 only";
  gpl2Plus = mk "gpl2Plus" "GPL-2.0-or-later" "GNU General Public License v2.0 or later";
  gpl3Only = mk "gpl3Only" "GPL-3.0-only" "GNU General Public License v3.0 only";
  gpl3Plus = mk "gpl3Plus" "GPL-3.0-or-later" "GNU General Public License v3.0 or later";
  lgpl21Plus = mk "lgpl21Plus" "LGPL-2.1-or-later" "GNU Lesser General Public License v2.1 or later";
  mpl20 = mk "mpl20" "MPL-2.0" "Mozilla Public License 2.0";
  isc = mk "isc" "ISC" "ISC License";
  agpl3Only = mk "agpl3Only" "AGPL-3.0-only" "GNU Affero General Public License v3.0 only";
  publicDomain = { shortName = "publicDomain"; fullName = "Public Domain"; deprecated = false; free = true; redistributable = true; };
  free = { shortName = "free"; fullName = "Unspecified free software license"; deprecated = false; free = true; redistributable = true; };
  unfree = { shortName = "unfree"; fullName = "Unfree"; deprecated = false; free = false; redistributable = false; };
}
