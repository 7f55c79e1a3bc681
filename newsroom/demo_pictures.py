"""Pictures for the demo newsroom, drawn by Pillow when `load_demo` runs: city skylines, a
waterfront, parkland and abstract compositions, in colours chosen from the release's subject,
so that the demo shows the design with images instead of empty boxes. No photograph is
downloaded; each picture is the same every time for the same seed.

They are credited as what they are ("Illustration generated for the demo") and dedicated to
the public domain, so a screenshot of the demo may be shown anywhere.
"""

import io
import random
import zlib

from PIL import Image, ImageDraw, ImageFilter

CREDIT = "Illustration generated for the Newsroom demo"
LICENCE = "CC0 1.0 (public domain)"
RELEASE_SIZE = (1600, 900)
PORTRAIT_SIZE = (600, 600)

# (top of the sky, horizon, buildings far, buildings near, lit windows), by time of day.
PALETTES = {
    "dawn": ("#f6b48f", "#fde6c8", "#8c7a9e", "#3b3552", "#ffd27a"),
    "day": ("#6fa8dc", "#dcecf7", "#7c93a8", "#34495e", "#f3f6f9"),
    "dusk": ("#2c2a5a", "#f08a5d", "#5b4a7a", "#1f1b33", "#ffcf6e"),
    "night": ("#0b1a33", "#27466e", "#223654", "#0c1424", "#ffd36b"),
}
# A scene for each kind of subject: the first of these words found in the title decides.
SCENES = (
    (("water", "flood", "rotterdam", "river", "harbour"), "waterfront"),
    (("heat", "freeze", "adaptation", "climate"), "sun"),
    (("board", "finance", "programme", "priorities", "review", "support"), "shapes"),
    (("park", "resident", "older", "neighborhood", "recovery"), "park"),
)
DESCRIPTIONS = {
    "skyline": "a city skyline {time}, windows lit",
    "waterfront": "a city skyline {time} reflected in a river",
    "sun": "a low sun over a hazy city skyline {time}",
    "shapes": "overlapping circles and bars in the colours of a city {time}",
    "park": "rolling parkland with round trees in front of a city {time}",
}
TIMES = {"dawn": "at dawn", "day": "by day", "dusk": "at dusk", "night": "at night"}


def scene_for(title):
    words = title.lower()
    for keywords, scene in SCENES:
        if any(word in words for word in keywords):
            return scene
    return "skyline"


def release_picture(seed, title):
    """(JPEG bytes, alt text) of a picture for the release called `title`."""
    rng = random.Random(zlib.crc32(seed.encode()))
    time = rng.choice(sorted(PALETTES))
    scene = scene_for(title)
    picture = _draw(scene, PALETTES[time], rng, RELEASE_SIZE)
    alt = "Illustration: " + DESCRIPTIONS[scene].format(time=TIMES[time])
    return _jpeg(picture), alt


def portrait(seed):
    """JPEG bytes of an abstract portrait: a head and shoulders in silhouette on a soft
    gradient, standing in for a person's photograph."""
    rng = random.Random(zlib.crc32(seed.encode()))
    top, horizon, *_ = PALETTES[rng.choice(sorted(PALETTES))]
    width, height = PORTRAIT_SIZE
    picture = _gradient(PORTRAIT_SIZE, top, horizon)
    draw = ImageDraw.Draw(picture)
    tone = rng.choice(["#3d2c2e", "#5a4035", "#2f3b4c", "#46505a"])
    draw.ellipse((width * 0.14, height * 0.66, width * 0.86, height * 1.35), fill=tone)
    draw.ellipse((width * 0.32, height * 0.22, width * 0.68, height * 0.62), fill=tone)
    return _jpeg(picture.filter(ImageFilter.GaussianBlur(1.2)))


def _draw(scene, palette, rng, size):
    top, horizon, far, near, windows = palette
    width, height = size
    picture = _gradient(size, top, horizon)
    ground = int(height * (0.68 if scene == "waterfront" else 0.8))
    if scene in ("sun", "skyline", "waterfront"):
        _sun(picture, rng, ground)
    if scene == "shapes":
        return _shapes(picture, palette, rng)
    draw = ImageDraw.Draw(picture)
    _buildings(draw, rng, width, ground, far, tall=0.45, lit=None)
    if scene == "park":
        _park(draw, rng, width, height, ground, near)
        return picture
    _buildings(draw, rng, width, ground, near, tall=0.3, lit=windows)
    if scene == "waterfront":
        sky = picture.crop((0, 0, width, ground))
        reflection = sky.transpose(Image.Transpose.FLIP_TOP_BOTTOM).resize((width, height - ground))
        reflection = reflection.filter(ImageFilter.GaussianBlur(6))
        water = Image.blend(reflection, Image.new("RGB", reflection.size, near), 0.45)
        picture.paste(water, (0, ground))
        draw = ImageDraw.Draw(picture)
        for _ in range(40):
            x, y = rng.randrange(width), rng.randrange(ground + 8, height)
            draw.line((x, y, x + rng.randrange(30, 140), y), fill=horizon, width=2)
        picture.paste(sky, (0, 0))
    else:
        draw.rectangle((0, ground, width, height), fill=near)
    return picture


def _gradient(size, top, bottom):
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _sun(picture, rng, ground):
    width = picture.width
    glow = Image.new("L", picture.size, 0)
    x, y, r = rng.randrange(width // 5, width * 4 // 5), int(ground * 0.55), ground // 7
    ImageDraw.Draw(glow).ellipse((x - r * 2, y - r * 2, x + r * 2, y + r * 2), fill=110)
    glow = glow.filter(ImageFilter.GaussianBlur(r))
    ImageDraw.Draw(glow).ellipse((x - r, y - r, x + r, y + r), fill=235)
    picture.paste(Image.new("RGB", picture.size, "#fff4d6"), (0, 0), glow)


def _buildings(draw, rng, width, ground, colour, tall, lit):
    x = -rng.randrange(40)
    while x < width:
        w = rng.randrange(50, 150)
        h = int(ground * rng.uniform(tall * 0.35, tall))
        draw.rectangle((x, ground - h, x + w, ground), fill=colour)
        if rng.random() < 0.2:  # a spire or a mast
            draw.rectangle(
                (x + w // 2 - 3, ground - h - 40, x + w // 2 + 3, ground - h), fill=colour
            )
        if lit:
            for wy in range(ground - h + 14, ground - 12, 22):
                for wx in range(x + 10, x + w - 14, 18):
                    if rng.random() < 0.35:
                        draw.rectangle((wx, wy, wx + 7, wy + 10), fill=lit)
        x += w + rng.randrange(0, 12)


def _park(draw, rng, width, height, ground, colour):
    greens = ["#2f6b3f", "#3f8a4f", "#25543a", "#4f9a5a"]
    for i, lift in enumerate((0.0, 0.06, 0.12)):
        top = int(ground + height * lift - 20)
        draw.ellipse(
            (-width * 0.3 + i * 300, top, width * 1.3 - i * 200, height * 2), fill=greens[i]
        )
    for _ in range(14):
        x = rng.randrange(width)
        y = rng.randrange(ground, height - 40)
        r = rng.randrange(28, 70)
        draw.rectangle((x - 5, y, x + 5, y + r), fill=colour)
        draw.ellipse((x - r, y - r * 1.5, x + r, y + r * 0.3), fill=rng.choice(greens))


def _shapes(picture, palette, rng):
    layer = Image.new("RGBA", picture.size)
    draw = ImageDraw.Draw(layer)
    width, height = picture.size
    for _ in range(9):
        r = rng.randrange(height // 8, height // 2)
        x, y = rng.randrange(width), rng.randrange(height)
        colour = Image.new("RGB", (1, 1), rng.choice(palette)).getpixel((0, 0))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, 150))
    for i in range(7):
        h = rng.randrange(height // 6, height // 2)
        x = width // 10 + i * width // 9
        colour = Image.new("RGB", (1, 1), palette[3]).getpixel((0, 0))
        draw.rectangle((x, height - h, x + width // 14, height), fill=(*colour, 210))
    return Image.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")


def _jpeg(picture):
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()
