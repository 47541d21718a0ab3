"""Regenerate src/wikitools/infobox/data/languages.json from Debian's iso-codes package.

The file maps ISO 639-1, 639-2 (terminology and bibliographic) and 639-3 codes to English
language names, as {{lang-xx}} and {{xx icon}} need them. Run on a machine with the
``iso-codes`` package installed:  python3 scripts/gen_languages.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SOURCE = Path("/usr/share/iso-codes/json")
TARGET = Path(__file__).resolve().parents[1] / "src/wikitools/infobox/data/languages.json"

# Names Wikipedia's language templates use where ISO's reference name differs.
OVERRIDES = {
    "el": "Greek",
    "ell": "Greek",
    "gre": "Greek",
    "ka": "Georgian",
    "fa": "Persian",
    "ne": "Nepali",
    "ky": "Kyrgyz",
    "zh": "Chinese",
    "ms": "Malay",
    "sw": "Swahili",
    "oc": "Occitan",
    "pa": "Punjabi",
    "ps": "Pashto",
    "ro": "Romanian",
    "si": "Sinhala",
    "gd": "Scottish Gaelic",
    "gla": "Scottish Gaelic",
    "cu": "Old Church Slavonic",
    "ht": "Haitian Creole",
    "dv": "Dhivehi",
    "ii": "Nuosu",
    "nb": "Norwegian Bokmål",
    "nn": "Norwegian Nynorsk",
}


def clean(name: str) -> str:
    """First of several names, without ISO's date qualifiers."""
    name = name.split(";")[0].strip()
    name = re.sub(r"\s*\((?:ca\. |to )?[0-9].*?\)$", "", name)
    return name


def main() -> None:
    names: dict[str, str] = {}
    part3 = json.loads((SOURCE / "iso_639-3.json").read_text())["639-3"]
    for entry in part3:
        if entry.get("type") == "S":
            continue
        names[entry["alpha_3"]] = clean(entry["name"])
    part2 = json.loads((SOURCE / "iso_639-2.json").read_text())["639-2"]
    for entry in part2:
        name = clean(entry["name"])
        for key in ("alpha_2", "alpha_3", "bibliographic"):
            if key in entry:
                names.setdefault(entry[key], name)
                if key == "alpha_2":
                    names[entry[key]] = name
    names.update(OVERRIDES)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    ordered = dict(sorted(names.items()))
    TARGET.write_text(json.dumps(ordered, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{TARGET}: {len(ordered)} codes")


if __name__ == "__main__":
    main()
