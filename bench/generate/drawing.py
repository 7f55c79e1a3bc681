"""What every kind of generated row is drawn from: one seeded random.Random, texts made of
sentences from a pool, unique slugs, skewed weights."""

import bisect
import itertools
import random

from django.utils.text import slugify

from bench.generate.vocabulary import WORDS

# Texts are made of sentences (8 to 18 words) drawn from a pool this large.
SENTENCES = 20_000


class Drawing:
    """Everything random is drawn from one seeded random.Random in a fixed order, which is
    what makes runs repeatable; draws that depend on the clock (which days a release was read)
    come from a second one so they cannot shift the rest."""

    def __init__(self, seed, batch_size):
        self.rng = random.Random(seed)
        self.reads_rng = random.Random(seed + 1)
        self.batch_size = batch_size
        self.slugs_used = {}
        self.sentences = []
        for _ in range(SENTENCES):
            length = self.rng.randint(8, 18)
            words = " ".join(self.rng.choices(WORDS, k=length)).capitalize() + "."
            self.sentences.append((words, length))

    def text(self, words):
        """About `words` words: sentences drawn from a pool made once, so a hundred thousand
        bodies cost one random draw per sentence rather than one per word."""
        picked, written = [], 0
        for sentence, length in self.rng.choices(self.sentences, k=words // 8 + 1):
            picked.append(sentence)
            written += length
            if written >= words - 6:  # half a sentence short: on average, `words`
                break
        return " ".join(picked)

    def body(self):
        """About 300 words in five paragraphs, as the editor saves them."""
        return "".join(f"<p>{self.text(60)}</p>" for _ in range(5))

    def unique_slug(self, text, max_length=190):
        """slugify(text), then -2, -3... for repeats, as an editor would pick by hand."""
        base = slugify(text)[:max_length].strip("-") or "item"
        seen = self.slugs_used.get(base, 0)
        self.slugs_used[base] = seen + 1
        return base if not seen else f"{base}-{seen + 1}"

    @staticmethod
    def weights(count, skew=1.0):
        """Cumulative weights where item n weighs 1/(n+10)**skew: a few are used a lot and
        most a little, as in a real newsroom."""
        return list(itertools.accumulate(1 / (n + 10) ** skew for n in range(count)))

    def pick(self, items, cumulative, count=1):
        """Up to `count` distinct items, weighted, in their original order."""
        if not items or not count:
            return []
        chosen = set()
        for _ in range(count * 3):
            index = bisect.bisect_left(cumulative, self.rng.random() * cumulative[-1])
            chosen.add(min(index, len(items) - 1))
            if len(chosen) == count:
                break
        return [items[index] for index in sorted(chosen)]

    def batches(self, total):
        for start in range(0, total, self.batch_size):
            yield range(start, min(start + self.batch_size, total))
