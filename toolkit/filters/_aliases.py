"""Common short names of countries, for "did you mean" suggestions only.

A location filter takes the dictionary's name (``"United States"``); people type ``US``,
``USA`` or ``UK``, which no spelling distance leads to. A value found here is still refused
(the API would match nothing): the alias only says which dictionary value to suggest, and
the suggestion is made only when the dictionary holds that value.
"""

from __future__ import annotations

__all__ = ["COUNTRY_ALIASES", "alias_of"]

#: Abbreviation or code (lower case, no dots) -> the country's usual English name.
COUNTRY_ALIASES: dict[str, str] = {
    "us": "United States",
    "usa": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "gb": "United Kingdom",
    "gbr": "United Kingdom",
    "great britain": "United Kingdom",
    "britain": "United Kingdom",
    "england": "United Kingdom",
    "uae": "United Arab Emirates",
    "ae": "United Arab Emirates",
    "ca": "Canada",
    "can": "Canada",
    "au": "Australia",
    "aus": "Australia",
    "nz": "New Zealand",
    "de": "Germany",
    "deu": "Germany",
    "fr": "France",
    "fra": "France",
    "es": "Spain",
    "esp": "Spain",
    "it": "Italy",
    "ita": "Italy",
    "nl": "Netherlands",
    "the netherlands": "Netherlands",
    "holland": "Netherlands",
    "br": "Brazil",
    "bra": "Brazil",
    "mx": "Mexico",
    "mex": "Mexico",
    "ar": "Argentina",
    "co": "Colombia",
    "in": "India",
    "ind": "India",
    "jp": "Japan",
    "jpn": "Japan",
    "kr": "South Korea",
    "korea": "South Korea",
    "cn": "China",
    "prc": "China",
    "ru": "Russia",
    "za": "South Africa",
    "rsa": "South Africa",
    "ng": "Nigeria",
    "tr": "Turkey",
    "türkiye": "Turkey",
    "se": "Sweden",
    "no": "Norway",
    "dk": "Denmark",
    "fi": "Finland",
    "pl": "Poland",
    "pt": "Portugal",
    "ie": "Ireland",
    "ch": "Switzerland",
    "at": "Austria",
    "be": "Belgium",
    "ph": "Philippines",
    "id": "Indonesia",
    "sg": "Singapore",
    "my": "Malaysia",
    "th": "Thailand",
    "vn": "Vietnam",
    "sa": "Saudi Arabia",
    "ksa": "Saudi Arabia",
    "eg": "Egypt",
}


def alias_of(text: str) -> str | None:
    """The country ``text`` abbreviates (``"U.S.A."`` -> ``"United States"``), if any."""
    key = " ".join(text.replace(".", " ").split()).casefold()
    return COUNTRY_ALIASES.get(key) or COUNTRY_ALIASES.get(key.replace(" ", ""))
