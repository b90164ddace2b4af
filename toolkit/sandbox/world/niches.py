"""Content niches (with their keywords, YouTube topics and audience interests) and the
Twitch games: what creators talk about, and the dictionary values that follow from it."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __reduce__(self) -> tuple[object, tuple[int]]:
        # pickled by position in NICHES, so a cached world shares the module's objects
        return _niche, (NICHES.index(self),)


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


#: Twitch game names (the games dictionary is an array of strings)
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


def _niche(i: int) -> Niche:
    """Unpickle a Niche by its position in NICHES."""
    return NICHES[i]
