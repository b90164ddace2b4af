"""Places and languages the world's people live in and speak: the exact
values the location and language dictionaries list, so a listed value always filters."""

from __future__ import annotations

from dataclasses import dataclass

# --- languages: {language, abbreviation}; English and Spanish first as in the capture ------
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("English", "en"),
    ("Spanish", "es"),
    ("Portuguese", "pt"),
    ("French", "fr"),
    ("German", "de"),
    ("Italian", "it"),
    ("Dutch", "nl"),
    ("Polish", "pl"),
    ("Turkish", "tr"),
    ("Russian", "ru"),
    ("Ukrainian", "uk"),
    ("Arabic", "ar"),
    ("Hindi", "hi"),
    ("Bengali", "bn"),
    ("Indonesian", "id"),
    ("Malay", "ms"),
    ("Thai", "th"),
    ("Vietnamese", "vi"),
    ("Filipino", "tl"),
    ("Japanese", "ja"),
    ("Korean", "ko"),
    ("Chinese", "zh"),
    ("Swedish", "sv"),
    ("Norwegian", "no"),
    ("Danish", "da"),
    ("Finnish", "fi"),
    ("Greek", "el"),
    ("Romanian", "ro"),
    ("Czech", "cs"),
    ("Hungarian", "hu"),
    ("Hebrew", "he"),
    ("Persian", "fa"),
    ("Urdu", "ur"),
    ("Swahili", "sw"),
    ("Tamil", "ta"),
    ("Telugu", "te"),
)
LANGUAGE_NAMES: dict[str, str] = {code: name for name, code in LANGUAGES}


@dataclass(frozen=True)
class Country:
    """A country the world places creators and audiences in."""

    name: str
    code: str
    id: int
    lat: float
    lon: float
    weight: float  # share of creators living there
    languages: tuple[str, ...]  # spoken, most common first

    def __reduce__(self) -> tuple[object, tuple[int]]:
        # pickled by position in COUNTRIES, so a cached world shares the module's objects
        return _country, (COUNTRIES.index(self),)


# ids of the US, Brazil and India are the ones seen in the captures (audience_geo)
COUNTRIES: tuple[Country, ...] = (
    Country("United States", "US", 148838, 38.89511, -77.03637, 30, ("en", "es")),
    Country("United Kingdom", "GB", 2635167, 51.50853, -0.12574, 8, ("en",)),
    Country("Canada", "CA", 6251999, 45.41117, -75.69812, 4, ("en", "fr")),
    Country("Australia", "AU", 2077456, -35.28346, 149.12807, 3, ("en",)),
    Country("India", "IN", 304716, 28.63576, 77.22445, 8, ("hi", "en", "ta", "te", "bn")),
    Country("Brazil", "BR", 59470, -15.77972, -47.92972, 7, ("pt",)),
    Country("Mexico", "MX", 3996063, 19.42847, -99.12766, 4, ("es",)),
    Country("Spain", "ES", 2510769, 40.4165, -3.70256, 3, ("es",)),
    Country("Argentina", "AR", 3865483, -34.61315, -58.37723, 2, ("es",)),
    Country("Colombia", "CO", 3686110, 4.60971, -74.08175, 2, ("es",)),
    Country("France", "FR", 3017382, 48.85341, 2.3488, 3, ("fr",)),
    Country("Germany", "DE", 2921044, 52.52437, 13.41053, 3, ("de",)),
    Country("Italy", "IT", 3175395, 41.89193, 12.51133, 3, ("it",)),
    Country("Netherlands", "NL", 2750405, 52.37403, 4.88969, 1, ("nl", "en")),
    Country("Poland", "PL", 798544, 52.22977, 21.01178, 1, ("pl",)),
    Country("Turkey", "TR", 298795, 39.91987, 32.85427, 2, ("tr",)),
    Country("Russia", "RU", 2017370, 55.75222, 37.61556, 2, ("ru",)),
    Country("Ukraine", "UA", 690791, 50.45466, 30.5238, 1, ("uk", "ru")),
    Country("Indonesia", "ID", 1643084, -6.21462, 106.84513, 3, ("id",)),
    Country("Philippines", "PH", 1694008, 14.6042, 120.9822, 2, ("tl", "en")),
    Country("Thailand", "TH", 1605651, 13.75398, 100.50144, 1, ("th",)),
    Country("Vietnam", "VN", 1562822, 21.0245, 105.84117, 1, ("vi",)),
    Country("Malaysia", "MY", 1733045, 3.1412, 101.68653, 1, ("ms", "en")),
    Country("Japan", "JP", 1861060, 35.6895, 139.69171, 2, ("ja",)),
    Country("South Korea", "KR", 1835841, 37.566, 126.9784, 1, ("ko",)),
    Country("Saudi Arabia", "SA", 102358, 24.68773, 46.72185, 1, ("ar",)),
    Country("United Arab Emirates", "AE", 290557, 24.45118, 54.39696, 1, ("ar", "en")),
    Country("Egypt", "EG", 357994, 30.06263, 31.24967, 1, ("ar",)),
    Country("Nigeria", "NG", 2328926, 9.05785, 7.49508, 1, ("en",)),
    Country("South Africa", "ZA", 953987, -25.74486, 28.18783, 1, ("en",)),
    Country("Sweden", "SE", 2661886, 59.32938, 18.06871, 1, ("sv", "en")),
    Country("Portugal", "PT", 2264397, 38.71667, -9.13333, 1, ("pt",)),
)
COUNTRY_BY_NAME: dict[str, Country] = {c.name: c for c in COUNTRIES}
COUNTRY_BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}


@dataclass(frozen=True)
class City:
    """A city: the creator's ``location`` string is ``"City, State, Country"``."""

    id: int
    name: str
    state: str | None
    country: str  # ISO code
    lat: float
    lon: float

    @property
    def label(self) -> str:
        country = COUNTRY_BY_CODE[self.country].name
        parts = [self.name] + ([self.state] if self.state else []) + [country]
        return ", ".join(parts)

    def __reduce__(self) -> tuple[object, tuple[int]]:
        # pickled by position in CITIES, so a cached world shares the module's objects
        return _city, (CITIES.index(self),)


CITIES: tuple[City, ...] = (
    City(175905, "New York", "New York", "US", 40.71427, -74.00597),
    City(207359, "Los Angeles", "California", "US", 34.05223, -118.24368),
    City(207360, "San Francisco", "California", "US", 37.77493, -122.41942),
    City(207361, "Chicago", "Illinois", "US", 41.85003, -87.65005),
    City(207362, "Houston", "Texas", "US", 29.76328, -95.36327),
    City(207363, "Austin", "Texas", "US", 30.26715, -97.74306),
    City(207364, "Miami", "Florida", "US", 25.77427, -80.19366),
    City(207365, "Atlanta", "Georgia", "US", 33.749, -84.38798),
    City(207366, "Seattle", "Washington", "US", 47.60621, -122.33207),
    City(207367, "Nashville", "Tennessee", "US", 36.16589, -86.78444),
    City(207368, "Boston", "Massachusetts", "US", 42.35843, -71.05977),
    City(207369, "Las Vegas", "Nevada", "US", 36.17497, -115.13722),
    City(207370, "Denver", "Colorado", "US", 39.73915, -104.9847),
    City(2643743, "London", "England", "GB", 51.50853, -0.12574),
    City(2643123, "Manchester", "England", "GB", 53.48095, -2.23743),
    City(2650225, "Edinburgh", "Scotland", "GB", 55.95206, -3.19648),
    City(6167865, "Toronto", "Ontario", "CA", 43.70011, -79.4163),
    City(6058560, "London", "Ontario", "CA", 42.98339, -81.23304),
    City(6173331, "Vancouver", "British Columbia", "CA", 49.24966, -123.11934),
    City(6077243, "Montreal", "Quebec", "CA", 45.50884, -73.58781),
    City(2147714, "Sydney", "New South Wales", "AU", -33.86785, 151.20732),
    City(2158177, "Melbourne", "Victoria", "AU", -37.814, 144.96332),
    City(7888990, "Mumbai", "Maharashtra", "IN", 19.07283, 72.88261),
    City(1273294, "Delhi", "Delhi", "IN", 28.65195, 77.23149),
    City(1277333, "Bengaluru", "Karnataka", "IN", 12.97194, 77.59369),
    City(298285, "São Paulo", "São Paulo", "BR", -23.5475, -46.63611),
    City(2220779, "Rio de Janeiro", "Rio de Janeiro", "BR", -22.90642, -43.18223),
    City(3530597, "Mexico City", None, "MX", 19.42847, -99.12766),
    City(4005539, "Guadalajara", "Jalisco", "MX", 20.66682, -103.39182),
    City(3117735, "Madrid", None, "ES", 40.4165, -3.70256),
    City(3128760, "Barcelona", "Catalonia", "ES", 41.38879, 2.15899),
    City(3435910, "Buenos Aires", None, "AR", -34.61315, -58.37723),
    City(3688689, "Bogotá", None, "CO", 4.60971, -74.08175),
    City(2988507, "Paris", "Île-de-France", "FR", 48.85341, 2.3488),
    City(2995469, "Marseille", "Provence-Alpes-Côte d'Azur", "FR", 43.29695, 5.38107),
    City(2950159, "Berlin", None, "DE", 52.52437, 13.41053),
    City(2867714, "Munich", "Bavaria", "DE", 48.13743, 11.57549),
    City(3169070, "Rome", "Lazio", "IT", 41.89193, 12.51133),
    City(3173435, "Milan", "Lombardy", "IT", 45.46427, 9.18951),
    City(2759794, "Amsterdam", "North Holland", "NL", 52.37403, 4.88969),
    City(756135, "Warsaw", "Masovia", "PL", 52.22977, 21.01178),
    City(745044, "Istanbul", None, "TR", 41.01384, 28.94966),
    City(524901, "Moscow", None, "RU", 55.75222, 37.61556),
    City(703448, "Kyiv", None, "UA", 50.45466, 30.5238),
    City(1642911, "Jakarta", None, "ID", -6.21462, 106.84513),
    City(1701668, "Manila", "Metro Manila", "PH", 14.6042, 120.9822),
    City(1609350, "Bangkok", None, "TH", 13.75398, 100.50144),
    City(1566083, "Ho Chi Minh City", None, "VN", 10.82302, 106.62965),
    City(1735161, "Kuala Lumpur", None, "MY", 3.1412, 101.68653),
    City(1850147, "Tokyo", None, "JP", 35.6895, 139.69171),
    City(1835848, "Seoul", None, "KR", 37.566, 126.9784),
    City(108410, "Riyadh", None, "SA", 24.68773, 46.72185),
    City(292223, "Dubai", None, "AE", 25.07725, 55.30927),
    City(360630, "Cairo", None, "EG", 30.06263, 31.24967),
    City(2332459, "Lagos", None, "NG", 6.45407, 3.39467),
    City(993800, "Johannesburg", "Gauteng", "ZA", -26.20227, 28.04363),
    City(2673730, "Stockholm", None, "SE", 59.32938, 18.06871),
    City(2267057, "Lisbon", None, "PT", 38.71667, -9.13333),
)
CITIES_BY_COUNTRY: dict[str, tuple[City, ...]] = {
    c.code: tuple(city for city in CITIES if city.country == c.code) for c in COUNTRIES
}


def state_id(country: str, state: str) -> int:
    # stable small ids for states: California keeps the capture's 165475
    known = {
        "California": 165475,
        "New York": 61320,
        "Texas": 114690,
        "Florida": 162050,
        "Maharashtra": 1950884,
    }
    if state in known:
        return known[state]
    return 100000 + sum((i + 1) * ord(ch) for i, ch in enumerate(country + state)) % 899999


#: states/regions that appear in CITIES, as (id, name, country code)
STATES: tuple[tuple[int, str, str], ...] = tuple(
    sorted(
        {(state_id(c.country, c.state), c.state, c.country) for c in CITIES if c.state},
        key=lambda s: (s[2], s[1]),
    )
)


def _country(i: int) -> Country:
    """Unpickle a Country by its position in COUNTRIES."""
    return COUNTRIES[i]


def _city(i: int) -> City:
    """Unpickle a City by its position in CITIES."""
    return CITIES[i]
