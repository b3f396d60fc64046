"""Small word lists the tagger's features consult (written for citekit, lower-case)."""

from __future__ import annotations

from ..names import ORG_WORDS, PARTICLES  # one definition, shared with the name splitter

__all__ = ["PUNCT", "MONTHS", "GIVEN_NAMES", "PUBLISHER_WORDS", "PLACE_WORDS", "JOURNAL_WORDS",
           "KEYWORDS", "PARTICLES", "ORG_WORDS"]

#: Edge punctuation stripped from a token to get its word (features, gazetteer, token rows).
PUNCT = "()[]{}.,;:!?\"'“”‘’«»„‹›<>*/\\|-–—_#"

MONTHS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre
januar februar märz april juni juli oktober dezember enero febrero marzo abril mayo junio julio
agosto septiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno luglio
settembre ottobre dicembre
""".split())

GIVEN_NAMES = frozenset("""
aaron adam adrian alan albert alexander alexandra alfred alice alison amanda amy andrea andreas
andrew angela ann anna anne anthony antonio arthur barbara ben benjamin bernard beth bill brian
bruce carl carlos carol caroline catherine charles charlotte chris christian christina christine
christopher claire claude claudia daniel david deborah dennis diana donald dorothy douglas
edward elena elizabeth ellen emily emma eric erik eva francesco francis francisco frank franz
fred frederick gabriel gary george georg gerald gerhard giovanni giuseppe gordon graham gregory
hans harold harry heinrich helen helmut henri henry hugh ian jack jacques james jan jane janet
jason jean jeffrey jennifer jessica joan johann johannes john jonathan jorge jose josé joseph
juan judith julia julie karen karl katherine kathleen kelly kenneth kevin klaus laura lawrence
leif linda lisa louis louise lucy luis margaret maria marie mario mark martin mary matthew
michael michel michelle mohamed mohammed nancy nicholas nicole pablo patricia patrick paul peter
philip philippe pierre rachel ralph raymond rebecca richard robert roger ronald rose ruth sam
samuel sandra sarah scott sean sharon simon sophie stefan stephen steven susan thomas timothy
walter werner william wolfgang yang young hyun jin min soo wei li hui ming ying xiao yuki hiroshi
takashi akira kenji ali ahmed hassan fatima amir omar ivan sergei olga natalia vladimir dmitri
pedro miguel manuel rafael fernando ricardo ana lucia isabel carmen marco luca paolo giorgio
""".split())

PUBLISHER_WORDS = frozenset("""
press presses university univ universitaires universitaire universitätsverlag verlag
publishers publisher publishing publications books editions éditions edizioni editorial
editora inc ltd co company house wiley springer elsevier routledge sage academic blackwell
macmillan penguin norton harper oxford cambridge mit pergamon kluwer taylor francis
addison wesley mcgraw hill prentice gallimard seuil brill palgrave bloomsbury polity verso
princeton yale harvard stanford chicago clarendon longman methuen knopf random vintage
ieee acm springer-verlag academia nauka
""".split())

PLACE_WORDS = frozenset("""
london new york paris berlin oxford cambridge chicago boston princeton amsterdam leiden
tokyo beijing shanghai seoul moscow madrid barcelona rome roma milan milano vienna wien munich
münchen frankfurt hamburg leipzig stuttgart heidelberg göttingen zurich zürich geneva genève
basel brussels stockholm copenhagen oslo helsinki dublin edinburgh glasgow manchester toronto
montreal montréal ottawa vancouver sydney melbourne washington philadelphia baltimore berkeley
stanford angeles san francisco diego jose haven england usa uk ny ma ca nj il dc md ct
mass calif conn germany france italy spain japan china korea canada australia netherlands
switzerland india mexico brazil hong kong singapore delhi lyon toulouse marseille bologna
florence firenze napoli torino lisbon lisboa warsaw prague budapest athens istanbul cairo
jerusalem heidelberg dordrecht hoboken thousand oaks abingdon malden basingstoke
""".split())

JOURNAL_WORDS = frozenset("""
journal review reviews proceedings proc quarterly annals annual transactions trans bulletin
bull letters lett studies research science sciences magazine zeitschrift revue rivista archives
arch acta physical phys chemical chem rev j am soc int res sci conference conf symposium
workshop nature international american european british economic social quarterly medicine
medical med clinical clin biology biol ecology ecol psychology psychol physics chemistry
mathematics math engineering eng technology technol history philosophy law politics policy
affairs forum bulletin newsletter communications commun notes nucl astrophys astron geophys
""".split())

#: Cue words mapped to a shared class, so rare spellings share what common ones learn.
KEYWORDS = {
    "et": "etal", "al": "etal", "al.": "etal", "etal": "etal",
    "ed": "ed", "eds": "ed", "edn": "edition", "editor": "ed", "editors": "ed", "hrsg": "ed",
    "hg": "ed", "dir": "ed", "éd": "ed", "éds": "ed", "coord": "ed", "edited": "ed",
    "trans": "trans", "translated": "trans", "transl": "trans", "tr": "trans", "übers": "trans",
    "pp": "pp", "p": "pp", "pages": "pp", "page": "pp", "s": "pp", "pg": "pp",
    "vol": "vol", "vols": "vol", "volume": "vol", "bd": "vol", "tome": "vol", "t": "vol",
    "no": "no", "nr": "no", "n°": "no", "issue": "no", "num": "no", "number": "no", "heft": "no",
    "in": "in", "dans": "in",
    "retrieved": "retrieved", "accessed": "retrieved", "available": "retrieved",
    "consulted": "retrieved", "viewed": "retrieved", "abgerufen": "retrieved", "from": "from",
    "doi": "doi", "isbn": "isbn", "issn": "isbn", "pmid": "ident", "arxiv": "ident",
    "edition": "edition", "ed.": "ed", "rev": "edition", "2nd": "edition", "3rd": "edition",
    "thesis": "genre", "dissertation": "genre", "phd": "genre", "report": "genre",
    "unpublished": "genre", "manuscript": "genre", "preprint": "genre", "paper": "genre",
    "and": "and", "&": "and", "und": "and", "y": "and", "e": "and",
    "n.d": "nd", "nd": "nd", "s.d": "nd", "forthcoming": "nd", "press": "press",
}
