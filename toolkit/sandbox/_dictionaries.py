"""The sandbox's dictionary (classifier) values, REFERENCE.md §8: the exact values the
synthetic world draws from, so a value listed by a dictionary endpoint always filters.

Everything here is static data (real-world-ish names; they are just strings) plus small
views over it in the shapes the endpoints answer with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def _state_id(country: str, state: str) -> int:
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
        {(_state_id(c.country, c.state), c.state, c.country) for c in CITIES if c.state},
        key=lambda s: (s[2], s[1]),
    )
)


@dataclass(frozen=True)
class Niche:
    """A content niche: what a creator talks about, and everything that follows from it."""

    name: str  # ai niche class, as in enrichment ``niche_class``
    subniches: tuple[str, ...]
    yt_topic: str  # yt-topics ``topic_details``
    yt_subtopics: tuple[str, ...]  # yt-topics ``sub_topic_details``
    interests: tuple[str, ...]  # audience interests this niche attracts
    keywords: tuple[str, ...]  # words used in bios, captions, titles
    weight: float


NICHES: tuple[Niche, ...] = (
    Niche(
        "Beauty",
        ("makeup", "skincare", "hair care", "nails"),
        "Lifestyle",
        ("Physical attractiveness",),
        ("Beauty & Cosmetics", "Clothes, Shoes, Handbags & Accessories"),
        ("makeup", "skincare", "glow", "lipstick", "serum", "routine", "tutorial", "lashes"),
        9,
    ),
    Niche(
        "Fashion",
        ("streetwear", "luxury fashion", "thrifting", "modest fashion"),
        "Lifestyle",
        ("Fashion",),
        ("Clothes, Shoes, Handbags & Accessories", "Luxury Goods", "Jewellery & Watches"),
        ("outfit", "style", "ootd", "streetwear", "vintage", "lookbook", "sneakers", "haul"),
        9,
    ),
    Niche(
        "Fitness",
        ("gym", "yoga", "running", "bodybuilding"),
        "Sports",
        ("Physical fitness",),
        ("Fitness & Yoga", "Activewear", "Healthy Lifestyle", "Sports"),
        ("workout", "gym", "training", "yoga", "cardio", "protein", "running", "strength"),
        8,
    ),
    Niche(
        "Food & Drink",
        ("recipes", "baking", "vegan", "restaurants"),
        "Lifestyle",
        ("Food",),
        ("Restaurants, Food & Grocery", "Coffee, Tea & Beverages", "Beer, Wine & Spirits"),
        ("recipe", "cooking", "baking", "vegan", "dinner", "foodie", "kitchen", "coffee"),
        8,
    ),
    Niche(
        "Travel",
        ("backpacking", "luxury travel", "van life", "hiking"),
        "Lifestyle",
        ("Tourism",),
        ("Travel, Tourism & Aviation", "Camera & Photography"),
        ("travel", "wanderlust", "adventure", "hiking", "beach", "roadtrip", "island", "explore"),
        7,
    ),
    Niche(
        "Gaming",
        ("esports", "minecraft", "speedrunning", "mobile gaming"),
        "Gaming",
        ("Action game", "Role-playing video game", "Strategy video game", "Sports game"),
        ("Gaming", "Electronics & Computers", "Television & Film"),
        ("gaming", "gameplay", "stream", "esports", "minecraft", "fortnite", "speedrun", "console"),
        9,
    ),
    Niche(
        "Music",
        ("hip hop", "pop", "guitar", "djing"),
        "Music",
        ("Hip hop music", "Pop music", "Rock music", "Electronic music"),
        ("Music", "Television & Film"),
        ("music", "song", "cover", "guitar", "beats", "producer", "singer", "concert"),
        7,
    ),
    Niche(
        "Technology & Science",
        ("gadgets", "space", "coding", "ai"),
        "Knowledge",
        ("Technology", "Science"),
        ("Electronics & Computers", "Camera & Photography", "Business & Careers"),
        ("tech", "gadgets", "review", "unboxing", "space", "science", "coding", "astronomy"),
        7,
    ),
    Niche(
        "Sport",
        ("football", "basketball", "tennis", "water sports"),
        "Sports",
        ("Association football", "Basketball", "Tennis", "Motorsport"),
        ("Sports", "Activewear"),
        ("football", "soccer", "basketball", "tennis", "match", "goal", "athlete", "surf"),
        6,
    ),
    Niche(
        "Comedy & Entertainment",
        ("sketches", "pranks", "memes", "stand-up"),
        "Entertainment",
        ("Humor", "Movies", "Television program"),
        ("Television & Film", "Friends, Family & Relationships"),
        ("comedy", "funny", "sketch", "prank", "memes", "laugh", "skit", "reaction"),
        8,
    ),
    Niche(
        "Family & Parenting",
        ("motherhood", "fatherhood", "kids activities"),
        "Lifestyle",
        ("Hobby",),
        ("Toys, Children & Baby", "Friends, Family & Relationships", "Wedding"),
        ("family", "mom", "dad", "kids", "parenting", "baby", "toddler", "homeschool"),
        5,
    ),
    Niche(
        "Pets & Animals",
        ("dogs", "cats", "wildlife"),
        "Lifestyle",
        ("Pets",),
        ("Pets", "Healthy Lifestyle"),
        ("dog", "puppy", "cat", "kitten", "pets", "rescue", "wildlife", "animals"),
        4,
    ),
    Niche(
        "Home & Garden",
        ("interior design", "diy", "gardening"),
        "Lifestyle",
        ("Hobby",),
        ("Home Decor, Furniture & Garden", "Shopping & Retail"),
        ("home", "decor", "diy", "garden", "plants", "renovation", "interior", "cozy"),
        4,
    ),
    Niche(
        "Business & Finance",
        ("investing", "entrepreneurship", "crypto"),
        "Society",
        ("Business",),
        ("Business & Careers", "Electronics & Computers"),
        ("business", "money", "investing", "startup", "finance", "crypto", "marketing", "stocks"),
        4,
    ),
    Niche(
        "Education",
        ("languages", "history", "study tips"),
        "Knowledge",
        ("Knowledge",),
        ("Business & Careers", "Friends, Family & Relationships"),
        ("learn", "study", "history", "facts", "language", "teacher", "lesson", "books"),
        3,
    ),
    Niche(
        "Art & Photography",
        ("illustration", "photography", "painting"),
        "Lifestyle",
        ("Hobby",),
        ("Art & Design", "Camera & Photography"),
        (
            "art",
            "drawing",
            "painting",
            "photography",
            "illustration",
            "sketchbook",
            "portrait",
            "design",
        ),
        4,
    ),
    Niche(
        "Cars & Motorbikes",
        ("supercars", "car reviews", "motorcycles"),
        "Lifestyle",
        ("Vehicles",),
        ("Cars & Motorbikes", "Luxury Goods"),
        ("cars", "supercar", "drift", "motorcycle", "engine", "racing", "carreview", "garage"),
        3,
    ),
    Niche(
        "Health & Wellness",
        ("mental health", "nutrition", "meditation"),
        "Society",
        ("Health",),
        ("Healthy Lifestyle", "Healthcare & Medicine", "Fitness & Yoga"),
        (
            "wellness",
            "health",
            "nutrition",
            "meditation",
            "mindfulness",
            "selfcare",
            "sleep",
            "healing",
        ),
        4,
    ),
)
NICHE_BY_NAME: dict[str, Niche] = {n.name: n for n in NICHES}

#: audience interests (28, like the capture's "2 of 28"), with the ids the captures use
AUDIENCE_INTERESTS: tuple[tuple[int, str], ...] = (
    (33, "Activewear"),
    (1, "Art & Design"),
    (2, "Beauty & Cosmetics"),
    (5, "Beer, Wine & Spirits"),
    (7, "Business & Careers"),
    (11, "Camera & Photography"),
    (13, "Cars & Motorbikes"),
    (21, "Clothes, Shoes, Handbags & Accessories"),
    (22, "Coffee, Tea & Beverages"),
    (25, "Electronics & Computers"),
    (31, "Fitness & Yoga"),
    (1708, "Friends, Family & Relationships"),
    (30, "Gaming"),
    (1560, "Healthcare & Medicine"),
    (168, "Healthy Lifestyle"),
    (36, "Home Decor, Furniture & Garden"),
    (139, "Jewellery & Watches"),
    (1826, "Luxury Goods"),
    (3, "Music"),
    (673, "Pets"),
    (9, "Restaurants, Food & Grocery"),
    (190, "Shopping & Retail"),
    (116, "Sports"),
    (58, "Television & Film"),
    (118, "Tobacco & Smoking"),
    (191, "Toys, Children & Baby"),
    (43, "Travel, Tourism & Aviation"),
    (291, "Wedding"),
)
INTEREST_ID: dict[str, int] = {name: i for i, name in AUDIENCE_INTERESTS}


@dataclass(frozen=True)
class Brand:
    """A brand: ``cleaned`` is what the ``brands`` discovery filter takes."""

    id: int
    full_name: str
    username: str
    categories: tuple[str, ...]  # audience interests (brand categories)
    niches: tuple[str, ...]  # niches whose creators do deals with it

    @property
    def cleaned(self) -> str:
        return self.full_name.lower()


def _b(i: int, name: str, user: str, cats: str, niches: str) -> Brand:
    return Brand(i, name, user, tuple(cats.split("|")), tuple(niches.split("|")))


BRANDS: tuple[Brand, ...] = (
    _b(
        956,
        "Nike",
        "nike",
        "Clothes, Shoes, Handbags & Accessories|Activewear",
        "Fitness|Sport|Fashion",
    ),
    _b(
        957,
        "Adidas",
        "adidas",
        "Clothes, Shoes, Handbags & Accessories|Activewear",
        "Fitness|Sport|Fashion",
    ),
    _b(958, "Puma", "puma", "Activewear", "Sport|Fitness"),
    _b(959, "Gymshark", "gymshark", "Activewear|Fitness & Yoga", "Fitness"),
    _b(960, "Lululemon", "lululemon", "Activewear|Fitness & Yoga", "Fitness|Health & Wellness"),
    _b(961, "Under Armour", "underarmour", "Activewear", "Fitness|Sport"),
    _b(962, "Myprotein", "myprotein", "Healthy Lifestyle|Fitness & Yoga", "Fitness"),
    _b(138, "Apple", "apple", "Music|Electronics & Computers", "Technology & Science|Music"),
    _b(139, "Samsung", "samsung", "Electronics & Computers", "Technology & Science"),
    _b(140, "Sony", "sony", "Electronics & Computers|Gaming", "Technology & Science|Gaming"),
    _b(141, "Google", "google", "Electronics & Computers", "Technology & Science|Education"),
    _b(
        142, "Logitech", "logitech", "Electronics & Computers|Gaming", "Gaming|Technology & Science"
    ),
    _b(143, "Razer", "razer", "Gaming|Electronics & Computers", "Gaming"),
    _b(144, "Corsair", "corsair", "Gaming|Electronics & Computers", "Gaming"),
    _b(145, "Nintendo", "nintendo", "Gaming|Toys, Children & Baby", "Gaming|Family & Parenting"),
    _b(146, "Xbox", "xbox", "Gaming", "Gaming"),
    _b(147, "PlayStation", "playstation", "Gaming", "Gaming"),
    _b(
        148,
        "Red Bull",
        "redbull",
        "Coffee, Tea & Beverages|Sports",
        "Sport|Gaming|Cars & Motorbikes",
    ),
    _b(
        149,
        "Monster Energy",
        "monsterenergy",
        "Coffee, Tea & Beverages",
        "Gaming|Cars & Motorbikes",
    ),
    _b(150, "GoPro", "gopro", "Camera & Photography|Sports", "Travel|Sport"),
    _b(151, "Canon", "canon", "Camera & Photography", "Art & Photography|Travel"),
    _b(
        152,
        "DJI",
        "djiglobal",
        "Camera & Photography|Electronics & Computers",
        "Travel|Technology & Science",
    ),
    _b(
        153,
        "NordVPN",
        "nordvpn",
        "Electronics & Computers",
        "Technology & Science|Gaming|Education",
    ),
    _b(
        154,
        "Squarespace",
        "squarespace",
        "Business & Careers",
        "Business & Finance|Art & Photography",
    ),
    _b(
        155,
        "Skillshare",
        "skillshare",
        "Business & Careers|Art & Design",
        "Education|Art & Photography",
    ),
    _b(156, "Audible", "audible", "Television & Film", "Education|Comedy & Entertainment"),
    _b(
        157,
        "HelloFresh",
        "hellofresh",
        "Restaurants, Food & Grocery",
        "Food & Drink|Family & Parenting",
    ),
    _b(
        158,
        "Starbucks",
        "starbucks",
        "Coffee, Tea & Beverages|Restaurants, Food & Grocery",
        "Food & Drink",
    ),
    _b(159, "Coca-Cola", "cocacola", "Coffee, Tea & Beverages", "Food & Drink|Sport"),
    _b(
        160,
        "McDonald's",
        "mcdonalds",
        "Restaurants, Food & Grocery",
        "Food & Drink|Comedy & Entertainment",
    ),
    _b(
        161,
        "KitchenAid",
        "kitchenaid",
        "Home Decor, Furniture & Garden|Restaurants, Food & Grocery",
        "Food & Drink|Home & Garden",
    ),
    _b(162, "Sephora", "sephora", "Beauty & Cosmetics|Shopping & Retail", "Beauty"),
    _b(163, "L'Oréal", "lorealparis", "Beauty & Cosmetics", "Beauty"),
    _b(164, "Fenty Beauty", "fentybeauty", "Beauty & Cosmetics", "Beauty"),
    _b(165, "MAC Cosmetics", "maccosmetics", "Beauty & Cosmetics", "Beauty"),
    _b(166, "Maybelline", "maybelline", "Beauty & Cosmetics", "Beauty"),
    _b(
        167,
        "The Ordinary",
        "theordinary",
        "Beauty & Cosmetics|Healthy Lifestyle",
        "Beauty|Health & Wellness",
    ),
    _b(
        168,
        "CeraVe",
        "cerave",
        "Beauty & Cosmetics|Healthcare & Medicine",
        "Beauty|Health & Wellness",
    ),
    _b(
        169,
        "Dyson",
        "dyson",
        "Electronics & Computers|Beauty & Cosmetics",
        "Beauty|Home & Garden|Technology & Science",
    ),
    _b(170, "Zara", "zara", "Clothes, Shoes, Handbags & Accessories", "Fashion"),
    _b(171, "H&M", "hm", "Clothes, Shoes, Handbags & Accessories", "Fashion"),
    _b(
        172,
        "Shein",
        "shein_official",
        "Clothes, Shoes, Handbags & Accessories|Shopping & Retail",
        "Fashion",
    ),
    _b(173, "Gucci", "gucci", "Luxury Goods|Clothes, Shoes, Handbags & Accessories", "Fashion"),
    _b(
        174,
        "Louis Vuitton",
        "louisvuitton",
        "Luxury Goods|Clothes, Shoes, Handbags & Accessories",
        "Fashion|Travel",
    ),
    _b(175, "Chanel", "chanel", "Luxury Goods|Beauty & Cosmetics", "Fashion|Beauty"),
    _b(176, "Dior", "dior", "Luxury Goods|Beauty & Cosmetics", "Fashion|Beauty"),
    _b(177, "Prada", "prada", "Luxury Goods", "Fashion"),
    _b(178, "Rolex", "rolex", "Jewellery & Watches|Luxury Goods", "Fashion|Cars & Motorbikes"),
    _b(179, "Pandora", "theofficialpandora", "Jewellery & Watches", "Fashion|Beauty"),
    _b(180, "Ray-Ban", "rayban", "Clothes, Shoes, Handbags & Accessories", "Fashion|Travel"),
    _b(181, "Levi's", "levis", "Clothes, Shoes, Handbags & Accessories", "Fashion"),
    _b(
        182,
        "New Balance",
        "newbalance",
        "Activewear|Clothes, Shoes, Handbags & Accessories",
        "Fashion|Fitness",
    ),
    _b(183, "Airbnb", "airbnb", "Travel, Tourism & Aviation", "Travel|Home & Garden"),
    _b(184, "Booking.com", "bookingcom", "Travel, Tourism & Aviation", "Travel"),
    _b(185, "Emirates", "emirates", "Travel, Tourism & Aviation|Luxury Goods", "Travel"),
    _b(186, "Marriott Bonvoy", "marriottbonvoy", "Travel, Tourism & Aviation", "Travel"),
    _b(187, "Expedia", "expedia", "Travel, Tourism & Aviation", "Travel"),
    _b(
        188,
        "IKEA",
        "ikea",
        "Home Decor, Furniture & Garden|Shopping & Retail",
        "Home & Garden|Family & Parenting",
    ),
    _b(189, "Wayfair", "wayfair", "Home Decor, Furniture & Garden", "Home & Garden"),
    _b(
        190,
        "Amazon",
        "amazon",
        "Shopping & Retail|Electronics & Computers",
        "Home & Garden|Technology & Science|Family & Parenting",
    ),
    _b(191, "Target", "target", "Shopping & Retail", "Family & Parenting|Home & Garden"),
    _b(192, "Walmart", "walmart", "Shopping & Retail", "Family & Parenting"),
    _b(193, "LEGO", "lego", "Toys, Children & Baby", "Family & Parenting|Comedy & Entertainment"),
    _b(194, "Pampers", "pampers", "Toys, Children & Baby", "Family & Parenting"),
    _b(195, "Fisher-Price", "fisherprice", "Toys, Children & Baby", "Family & Parenting"),
    _b(196, "Chewy", "chewy", "Pets|Shopping & Retail", "Pets & Animals"),
    _b(197, "Purina", "purina", "Pets", "Pets & Animals"),
    _b(198, "BarkBox", "barkbox", "Pets", "Pets & Animals"),
    _b(199, "Spotify", "spotify", "Music", "Music|Comedy & Entertainment"),
    _b(200, "Fender", "fender", "Music", "Music"),
    _b(201, "Beats by Dre", "beatsbydre", "Music|Electronics & Computers", "Music|Sport"),
    _b(202, "Netflix", "netflix", "Television & Film", "Comedy & Entertainment"),
    _b(
        1408,
        "Walt Disney",
        "disney",
        "Toys, Children & Baby|Television & Film",
        "Family & Parenting|Comedy & Entertainment",
    ),
    _b(203, "Warner Bros", "warnerbros", "Television & Film", "Comedy & Entertainment"),
    _b(
        204,
        "Tesla",
        "teslamotors",
        "Cars & Motorbikes|Electronics & Computers",
        "Cars & Motorbikes|Technology & Science",
    ),
    _b(205, "BMW", "bmw", "Cars & Motorbikes|Luxury Goods", "Cars & Motorbikes"),
    _b(206, "Mercedes-Benz", "mercedesbenz", "Cars & Motorbikes|Luxury Goods", "Cars & Motorbikes"),
    _b(207, "Porsche", "porsche", "Cars & Motorbikes|Luxury Goods", "Cars & Motorbikes"),
    _b(208, "Harley-Davidson", "harleydavidson", "Cars & Motorbikes", "Cars & Motorbikes"),
    _b(209, "Shopify", "shopify", "Business & Careers", "Business & Finance"),
    _b(210, "Robinhood", "robinhoodapp", "Business & Careers", "Business & Finance"),
    _b(
        211,
        "Coinbase",
        "coinbase",
        "Business & Careers|Electronics & Computers",
        "Business & Finance",
    ),
    _b(212, "Duolingo", "duolingo", "Business & Careers", "Education|Comedy & Entertainment"),
    _b(
        213,
        "Headspace",
        "headspace",
        "Healthy Lifestyle|Healthcare & Medicine",
        "Health & Wellness",
    ),
    _b(214, "Calm", "calm", "Healthy Lifestyle", "Health & Wellness"),
    _b(
        215,
        "Athletic Greens",
        "drinkag1",
        "Healthy Lifestyle|Coffee, Tea & Beverages",
        "Health & Wellness|Fitness",
    ),
    _b(216, "Heineken", "heineken", "Beer, Wine & Spirits", "Sport|Food & Drink"),
    _b(
        217,
        "Moët & Chandon",
        "moetchandon",
        "Beer, Wine & Spirits|Luxury Goods",
        "Food & Drink|Fashion",
    ),
    _b(
        218,
        "Tiffany & Co.",
        "tiffanyandco",
        "Jewellery & Watches|Wedding",
        "Fashion|Family & Parenting",
    ),
    _b(
        219,
        "David's Bridal",
        "davidsbridal",
        "Wedding|Clothes, Shoes, Handbags & Accessories",
        "Fashion|Family & Parenting",
    ),
    _b(220, "Procreate", "procreate", "Art & Design|Electronics & Computers", "Art & Photography"),
    _b(
        221,
        "Adobe",
        "adobe",
        "Art & Design|Electronics & Computers",
        "Art & Photography|Technology & Science",
    ),
    _b(222, "ISS", "iss", "Electronics & Computers", "Technology & Science"),
)
BRAND_BY_CLEANED: dict[str, Brand] = {b.cleaned: b for b in BRANDS}

#: Twitch game names (the games dictionary is an array of strings, §15 #12)
GAMES: tuple[str, ...] = (
    "Just Chatting",
    "League of Legends",
    "Grand Theft Auto V",
    "Valorant",
    "Counter-Strike",
    "Fortnite",
    "Minecraft",
    "Apex Legends",
    "Call of Duty: Warzone",
    "World of Warcraft",
    "Dota 2",
    "Overwatch 2",
    "Rocket League",
    "EA Sports FC 25",
    "Elden Ring",
    "Dead by Daylight",
    "Hearthstone",
    "Teamfight Tactics",
    "Rust",
    "Escape from Tarkov",
    "Roblox",
    "Among Us",
    "The Sims 4",
    "Stardew Valley",
    "Baldur's Gate 3",
    "Genshin Impact",
    "Pokémon Scarlet and Violet",
    "Super Mario Bros. Wonder",
    "Hogwarts Legacy",
    "Cyberpunk 2077",
    "Diablo IV",
    "Street Fighter 6",
    "Tekken 8",
    "Chess",
    "Poker",
    "Music",
    "Art",
    "Sports",
    "Talk Shows & Podcasts",
    "Retro",
    "Slots",
    "NBA 2K25",
    "Madden NFL 25",
    "Fall Guys",
    "Lethal Company",
    "Helldivers 2",
    "Palworld",
    "Phasmophobia",
)


def locations_for(platform: str) -> list[str]:
    """Location strings of ``/classifier/locations/{platform}/``: countries, then cities."""
    del platform  # every platform's creators live in the same places
    return [c.name for c in COUNTRIES] + [city.label for city in CITIES]


def yt_topics() -> list[dict[str, Any]]:
    """``[{topic_details, sub_topic_details[]}]`` built from the niches' YouTube topics."""
    topics: dict[str, list[str]] = {}
    for niche in NICHES:
        subs = topics.setdefault(niche.yt_topic, [])
        subs.extend(s for s in niche.yt_subtopics if s not in subs)
    return [{"topic_details": t, "sub_topic_details": subs} for t, subs in topics.items()]


def audience_locations() -> list[dict[str, str]]:
    """``[{name, type}]`` for audience geo filters: countries, states, cities."""
    out = [{"name": c.name, "type": "country"} for c in COUNTRIES]
    out += [{"name": name, "type": "state"} for _id, name, _cc in STATES]
    out += [{"name": city.name, "type": "city"} for city in CITIES]
    return out


def brand_categories() -> list[str]:
    """Audience brand categories: every category some brand belongs to, in interest order."""
    used = {cat for b in BRANDS for cat in b.categories}
    return [name for _i, name in AUDIENCE_INTERESTS if name in used]
