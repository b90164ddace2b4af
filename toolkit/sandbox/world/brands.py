"""Brands creators do deals with (the ``brands`` filter and dictionary)."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __reduce__(self) -> tuple[object, tuple[int]]:
        # pickled by position in BRANDS, so a cached world shares the module's objects
        return _brand, (BRANDS.index(self),)


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


def _brand(i: int) -> Brand:
    """Unpickle a Brand by its position in BRANDS."""
    return BRANDS[i]
