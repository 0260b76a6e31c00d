"""The Crystal template's logo icons (its ``LOGO_ICON`` option): Material icon keys and their human labels.

The model picks one key from this list; an answer outside it is ``invalid_response``. ``shopping-bag`` is the
template's default (the ``template_logo_icon`` setting's), the generic one a store is meant to move away from.
"""

from __future__ import annotations

import re

DEFAULT_ICON = "shopping-bag"

_CATALOGUE = """
shopping-bag:Shopping bag|shopping-cart:Shopping cart|storefront:Storefront|store:Store|local-mall:Mall bag
sell:Price tag|loyalty:Loyalty tag|redeem:Gift|card-giftcard:Gift card|celebration:Celebration
emoji-nature:Bee|local-florist:Flower|spa:Lotus|park:Park tree|forest:Forest|grass:Grass|yard:Garden
eco:Leaf|energy-savings-leaf:Energy leaf|compost:Compost|nature:Tree|nature-people:Person by a tree
agriculture:Tractor|water-drop:Water drop|wb-sunny:Sun|nights-stay:Moon and cloud|ac-unit:Snowflake
thunderstorm:Thunderstorm|filter-vintage:Vintage flower|local-cafe:Coffee cup|coffee:Coffee
coffee-maker:Coffee maker|emoji-food-beverage:Tea cup|local-bar:Cocktail|wine-bar:Wine glass
sports-bar:Beer|liquor:Liquor|restaurant:Knife and fork|restaurant-menu:Menu|local-pizza:Pizza
bakery-dining:Croissant|cake:Cake|icecream:Ice cream|lunch-dining:Burger|ramen-dining:Ramen
rice-bowl:Rice bowl|set-meal:Set meal|egg:Egg|kebab-dining:Kebab|local-dining:Dining|soup-kitchen:Soup
outdoor-grill:Barbecue grill|blender:Blender|kitchen:Fridge|microwave:Microwave|cookie:Cookie
pets:Paw print|cruelty-free:Rabbit|set-meal-fish:Fish|phishing:Fishing hook|sailing:Sailboat
kayaking:Kayak|surfing:Surfing|pool:Swimming|scuba-diving:Scuba diving|rowing:Rowing
directions-bike:Bicycle|pedal-bike:Pedal bike|electric-bike:Electric bike|directions-run:Runner
hiking:Hiking|downhill-skiing:Skiing|snowboarding:Snowboarding|ice-skating:Ice skating|skateboarding:Skateboard
sports-soccer:Football|sports-basketball:Basketball|sports-tennis:Tennis|sports-golf:Golf
sports-baseball:Baseball|sports-football:American football|sports-volleyball:Volleyball
sports-martial-arts:Martial arts|sports-gymnastics:Gymnastics|sports-esports:Game controller
fitness-center:Dumbbell|self-improvement:Meditation|sports-motorsports:Motorsport helmet
golf-course:Golf flag|camping:Camping tent|cabin:Cabin|fireplace:Fireplace|local-fire-department:Flame
photo-camera:Camera|camera-alt:Photo camera|camera-roll:Film roll|videocam:Video camera
photo:Picture|palette:Paint palette|brush:Paintbrush|format-paint:Paint roller|draw:Pen drawing
design-services:Design tools|architecture:Architecture compass|straighten:Ruler|content-cut:Scissors
music-note:Music note|headphones:Headphones|piano:Piano|speaker:Speaker|radio:Radio|mic:Microphone
album:Record|theater-comedy:Theatre masks|movie:Film clapper|menu-book:Open book|auto-stories:Storybook
library-books:Books|school:Graduation cap|science:Science flask|biotech:Microscope|calculate:Calculator
computer:Computer|laptop:Laptop|phone-iphone:Smartphone|tablet:Tablet|watch:Watch|keyboard:Keyboard
mouse:Computer mouse|memory:Chip|router:Router|cable:Cable|battery-charging-full:Battery|power:Plug
bolt:Lightning bolt|solar-power:Solar panel|wind-power:Wind turbine|lightbulb:Light bulb|tv:Television
devices:Devices|smart-toy:Robot|rocket-launch:Rocket|satellite-alt:Satellite|flight:Aeroplane
directions-car:Car|electric-car:Electric car|two-wheeler:Motorbike|local-shipping:Delivery truck
directions-boat:Boat|train:Train|build:Spanner|handyman:Hammer and screwdriver|construction:Construction
hardware:Hammer|plumbing:Plumbing wrench|carpenter:Saw|roofing:Roof|home:House|chair:Chair|bed:Bed
bathtub:Bathtub|shower:Shower|weekend:Sofa|table-restaurant:Table|light:Ceiling lamp|deck:Deck chair
balcony:Balcony|cottage:Cottage|villa:Villa|checkroom:Coat hanger|dry-cleaning:Dry cleaning
iron:Iron|local-laundry-service:Washing machine|diamond:Diamond|face:Face|face-retouching-natural:Beauty
woman:Woman|man:Man|child-care:Baby|child-friendly:Pram|toys:Toy windmill|crib:Cot|stroller:Stroller
favorite:Heart|volunteer-activism:Caring hands|healing:Plaster|medical-services:Medical bag
medication:Medication|health-and-safety:Health shield|vaccines:Syringe|monitor-heart:Heart monitor
psychology:Mind|accessibility:Accessibility|elderly:Senior|masks:Face mask|sanitizer:Sanitiser
clean-hands:Clean hands|soap:Soap|star:Star|auto-awesome:Sparkles|workspace-premium:Premium badge
military-tech:Medal|emoji-events:Trophy|flag:Flag|public:Globe|explore:Compass|map:Map|luggage:Suitcase
beach-access:Beach umbrella|landscape:Mountains|terrain:Terrain|waves:Waves|anchor:Anchor
emoji-objects:Idea|extension:Puzzle piece|casino:Dice|sports-kabaddi:Wrestling|tapas:Tapas
""".strip()

ICONS: dict[str, str] = dict(
    pair.strip().split(":", 1) for line in _CATALOGUE.splitlines() for pair in line.split("|") if pair.strip()
)

_WORD = re.compile(r"[a-z]+")

# Niche words whose icon shares no word with them ("cycling" is a bicycle); they outweigh a shared word.
_HINTS = {
    "herb": "eco",
    "plant": "eco",
    "garden": "yard",
    "cycl": "directions-bike",
    "bike": "directions-bike",
    "camera": "photo-camera",
    "photograph": "photo-camera",
    "tea": "emoji-food-beverage",
    "dog": "pets",
    "cat": "pets",
    "pet": "pets",
    "puppy": "pets",
    "baby": "child-care",
    "fitnes": "fitness-center",
    "gym": "fitness-center",
    "yoga": "self-improvement",
    "bee": "emoji-nature",
    "honey": "emoji-nature",
    "jewel": "diamond",
    "skincare": "face-retouching-natural",
    "makeup": "face-retouching-natural",
    "beauty": "face-retouching-natural",
    "fashion": "checkroom",
    "cloth": "checkroom",
    "shoe": "checkroom",
    "tool": "handyman",
    "diy": "handyman",
    "kitchen": "kitchen",
    "cook": "restaurant",
    "wine": "wine-bar",
    "beer": "sports-bar",
    "game": "sports-esports",
    "gaming": "sports-esports",
    "travel": "luggage",
    "outdoor": "camping",
    "fish": "phishing",
    "book": "menu-book",
    "art": "palette",
    "craft": "content-cut",
    "sew": "content-cut",
    "audio": "headphones",
    "guitar": "music-note",
    "car": "directions-car",
    "furniture": "chair",
    "sleep": "bed",
    "health": "health-and-safety",
    "supplement": "medication",
    "toy": "toys",
    "kid": "toys",
    "candle": "local-fire-department",
    "solar": "solar-power",
}


def label_of(key: str) -> str | None:
    return ICONS.get(key)


def prompt_lines() -> str:
    """The catalogue as the model sees it: one ``key: label`` a line."""
    return "\n".join(f"{key}: {label}" for key, label in ICONS.items())


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def match_offline(niche: str) -> str | None:
    """The icon whose key and label share the most words (stemmed) with ``niche``; the earliest on a tie; None
    when no word is shared (the offline pick, see ``logo.pick_icon``)."""
    wanted = {_stem(w) for w in _WORD.findall(niche.lower()) if len(w) >= 3}
    hinted = {icon for word in wanted for prefix, icon in _HINTS.items() if word.startswith(prefix)}
    best, best_score = None, 0
    for key, label in ICONS.items():
        if key == DEFAULT_ICON:
            continue
        words = {_stem(w) for w in _WORD.findall(f"{key} {label}".lower()) if len(w) >= 3}
        score = len(wanted & words) + (2 if key in hinted else 0)
        if score > best_score:
            best, best_score = key, score
    return best
