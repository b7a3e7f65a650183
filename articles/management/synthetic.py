"""Clearly synthetic French-like articles, for benchmarks on a large archive.

Words are drawn with Zipf-like frequencies from a small vocabulary of common French words and
of the names that conflict news is made of; the result reads as word salad, on purpose.
"""

import random
from datetime import UTC, datetime
from itertools import accumulate

COMMON = """
de la le les des et en un une du dans à au pour sur par avec que qui ne pas plus a est sont
ont été selon après contre entre depuis lors sans sous vers mais aussi encore déjà deux trois
armée forces troupes soldats front ligne frontière ville région pays gouvernement président
ministre autorités responsables habitants civils réfugiés blessés morts victimes attaque
attaques frappe frappes offensive contre-offensive cessez-le-feu négociations accord sommet
alliés sanctions aide militaire humanitaire armes munitions missiles drones chars artillerie
défense aérienne bombardement bombardements nuit matin semaine mois année jours heures
soutient soutiennent affirme annonce dénonce accuse menace répond avance avancent recule
reprend reprennent tient tiennent vient viennent frappe frappent attaque attaquent négocie
mobilise évacue déploie renforce condamne nouvelle nouveau nouveaux importante grave lourd
lourdes nombreux plusieurs premier dernière internationale diplomatique économique énergie
centrale nucléaire port aéroport pont route village quartier hôpital école infrastructure
électricité gaz pétrole blé exportations crise guerre conflit paix trêve otages prisonniers
échange rapport enquête témoins images satellite renseignement ambassade élection vote
parlement conseil sécurité résolution veto opposition manifestation couvre-feu état urgence
"""

NAMES = """
Ukraine Russie Kyiv Moscou Kharkiv Odessa Zaporijjia Donetsk Louhansk Crimée Koursk Bakhmout
Avdiivka Kherson Marioupol Zelensky Poutine Corée Nord Pyongyang Kim Iran Téhéran iraniens
iranien Israël Gaza Hamas Hezbollah Liban Beyrouth Cisjordanie Syrie Damas Yémen Houthis
mer Rouge Soudan Khartoum Darfour Sahel Mali Niger Burkina Haïti Taïwan Chine Pékin
États-Unis Washington Biden Trump OTAN Union européenne Bruxelles ONU Turquie Erdogan Arménie
Azerbaïdjan Karabakh Pologne Biélorussie Loukachenko Wagner Prigojine nord-coréens
nord-coréennes Shahed ATACMS HIMARS F-16 Patriot
"""

SYLLABLES = "va lo ri bé tan mor sel du ka vi nè zo pra lin go ré sa mi cor ba lu fen dra"

START = datetime(2019, 1, 1, tzinfo=UTC)
END = datetime(2025, 12, 31, tzinfo=UTC)


def zipf_weights(n, exponent=1.1):
    return list(accumulate(1 / rank**exponent for rank in range(1, n + 1)))


class ArchiveWriter:
    """Deterministic synthetic articles from a seed."""

    # The most frequent words of any French text come first; names and other real words
    # are spread over the next ranks, among invented words, as in a real archive where
    # "Corée" is in a few articles in a hundred, not in every one.
    function_words = 40
    real_word_ranks = 1500
    invented_words = 6000

    def __init__(self, seed):
        self.random = random.Random(seed)
        common = COMMON.split()
        real = common[self.function_words :] + NAMES.split()
        self.random.shuffle(real)
        invented = [name.lower() for name in pseudo_names(self.invented_words, seed=3)]
        ranks = set(self.random.sample(range(self.real_word_ranks), len(real)))
        real_words, invented_words = iter(real), iter(invented)
        tail = [
            next(real_words) if rank in ranks else next(invented_words)
            for rank in range(len(real) + len(invented))
        ]
        self.vocabulary = common[: self.function_words] + tail
        self.weights = zipf_weights(len(self.vocabulary), exponent=1.0)

    def sentence(self, low, high):
        words = self.random.choices(
            self.vocabulary, cum_weights=self.weights, k=self.random.randint(low, high)
        )
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def article_text(self):
        """Headline, standfirst and HTML body."""
        title = self.sentence(5, 10)
        standfirst = self.sentence(12, 22) + "."
        paragraphs = (
            " ".join(self.sentence(8, 18) + "." for _ in range(self.random.randint(2, 3)))
            for _ in range(self.random.randint(3, 5))
        )
        body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        return title, standfirst, body

    def published_at(self):
        span = (END - START).total_seconds()
        return datetime.fromtimestamp(START.timestamp() + self.random.random() * span, tz=UTC)

    def pick_zipf(self, items, weights, count):
        chosen = set(self.random.choices(range(len(items)), cum_weights=weights, k=count))
        return [items[i] for i in sorted(chosen)]


def pseudo_names(count, seed=0):
    """``count`` distinct invented proper names, the same for every run."""
    rng, names = random.Random(seed), []
    seen = set()
    while len(names) < count:
        name = "".join(rng.choices(SYLLABLES.split(), k=rng.randint(3, 4))).capitalize()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
