"""Boilerplate: the page furniture around an article, recognised one block (paragraph) at a time.

About 450 lines, two thirds of them the rule tables, kept next to the predicates that read
them so that a rule and its use are read together.

The rules are data: the tables below, per language, one comment per rule. Keys are ISO 639-1
codes ("*" = any language); phrases are "|"-separated and matched case-insensitively. All the
tables are used whatever the page's language: pages mix languages ("Share" on a French page),
and a page's language is often not known when it is cleaned. Every function here is pure.
"""

from __future__ import annotations

import re

from index.dates import DAY_MONTH_RE, RELATIVE_AGE_RE, STAMP_RE, TIME_RE, find_date, strip_dates
from index.text import count_words

# ---------------------------------------------------------------------------------------------
# Rules as data.
# ---------------------------------------------------------------------------------------------

# "Read also" markers: the title that follows goes to ``related`` and the line leaves the body.
# Alone on a line, a marker announces the headlines in the next blocks.
READ_ALSO: dict[str, str] = {
    "fr": "à lire aussi|a lire aussi|lire aussi|à lire également|lire également|voir aussi"
    "|à voir aussi|à lire|à découvrir",
    "en": "read more|read also|also read|see also|related|read next|more on this",
    "de": "lesen sie auch|lesen sie mehr|auch interessant|siehe auch|mehr dazu",
    "es": "lee también|lea también|leer más|ver también|te puede interesar",
    "pt": "leia também|leia mais|veja também|saiba mais",
    "it": "leggi anche|vedi anche",
    "ru": "читайте также|смотрите также|читать также|по теме|ещё по теме|еще по теме",
}

# Headings that open the "more stories" part of a page: they and everything after them go.
END_HEADINGS: dict[str, str] = {
    "fr": "articles similaires|sur le même sujet|dans la même rubrique|les plus lus"
    "|vous pourriez aussi aimer|vous aimerez aussi|à découvrir aussi|les plus partagés"
    "|dernières actualités|toute l'actualité|plus d'actu|la rédaction vous conseille"
    "|à lire sur le même sujet|nos dernières vidéos|les dernières infos",
    "en": "related stories|related articles|related content|related posts|related topics"
    "|more on this story|more stories|most popular|most read|most viewed|you may also like"
    "|recommended|trending now|trending news|more from|explore related topics|next article"
    "|about the author|comments & discussion|top stories|latest stories|editors' picks",
    "de": "mehr zum thema|das könnte sie auch interessieren|meistgelesen|weitere artikel"
    "|neueste artikel",
    "es": "noticias relacionadas|lo más leído|lo más visto|más leídas|te puede interesar",
    "pt": "notícias relacionadas|mais lidas|mais vistas|últimas notícias",
    "ru": "самое популярное|самое читаемое|главное|не пропустите|похожие материалы|темы"
    "|другие материалы|новости партнеров|читать на эту тему|новые и лучшие|новости по теме",
}

# Photo credits ("© X", "Photo : X"), glued to the repeated title or alone on a short line:
# the text after the marker becomes ``credit`` and the line leaves the body (regexes).
CREDIT_MARKERS: dict[str, str] = {
    "*": r"©|\(c\)",
    "fr": r"photos?\s*:|cr[ée]dits?(?:\s+photos?)?\s*:|illustration\s*:",
    "en": r"photo(?:graph)?s?(?:\s+credit)?\s*:|credits?\s*:|image source,|image\s*:",
    "de": r"fotos?\s*:|bild\s*:|quelle\s*:",
    "es": r"foto(?:grafía)?\s*:|cr[ée]dito\s*:",
    "pt": r"foto\s*:|cr[ée]dito\s*:",
    "ru": r"фото\s*:|автор фото,",
}

# Consent banners, recognised by phrases only banners use: the whole block goes (regexes).
CONSENT: dict[str, str] = {
    "fr": r"tout accepter|tout refuser|cookies?/traceurs|choix de consentement|gestion des cookies"
    r"|(?:param[ée]trer|g[ée]rer|modifier) (?:vos|mes|les) (?:choix|cookies|pr[ée]f[ée]rences)"
    r"|(?:accepter|refuser) (?:les |des )?cookies"
    r"|(?:utilise|utilisons|d[ée]p[ôo]t|d[ée]pose) (?:des |de |les )?(?:cookies|traceurs)"
    r"|gtm_cookies",
    "en": r"accept all\b|reject all\b|accept cookies|(?:we|site|website) uses? cookies"
    r"|use of cookies|cookie (?:settings|preferences|policy|notice|control)"
    r"|manage (?:cookies|consent|preferences)|do not sell my|(?:this|these) cookies?\b",
    "de": r"alle akzeptieren|alle ablehnen|cookie-einstellungen|datenschutzeinstellungen"
    r"|(?:verwendet|verwenden|nutzt|nutzen|setzt|setzen) cookies",
    "es": r"aceptar todas?\b|rechazar todas?\b|(?:utiliza|utilizamos|usa|usamos) cookies"
    r"|pol[íi]tica de cookies|configuraci[óo]n de cookies|aceptar cookies",
    "pt": r"aceitar todos\b|rejeitar todos\b|(?:utiliza|utilizamos|usa|usamos) cookies"
    r"|pol[íi]tica de cookies|aceitar cookies",
    "it": r"accetta tutti|rifiuta tutti|utilizz\w+ (?:i )?cookie",
    "ru": r"использу\w* (?:файлы )?cookie|cookie-файл|файл\w* cookie|принять все\b",
}

# Consent topics: a block naming one goes when it is short (a menu item) or speaks to the reader
# like a banner does ("vous", "your", "the website"...): topics, then context words (regexes).
CONSENT_TOPICS = (
    r"\bcookie|\btraceurs\b|\bconsentement\b|\bconsent\b|politique de confidentialit[ée]"
    r"|privacy policy|datenschutz|pol[íi]tica de privacidad|pol[íi]tica de privacidade"
    r"|\bкуки\b|персональн\w+ данн\w+"
)
CONSENT_CONTEXT: dict[str, str] = {
    "fr": r"vous|vos|votre|nous|notre|nos",
    "en": r"you|your|we|our",
    "*": r"website|web site|browser|navigateur|site web|webseite|navegador|сайт\w*",
    "de": r"sie|ihre?[mnrs]?|wir|unsere?[mnrs]?",
    "es": r"usted|nuestr[oa]s?",
    "pt": r"você|nosso|nossa",
    "ru": r"вы|вас|ваш\w*|мы|наш\w*",
}

# "Follow us" and newsletter prompts opening a short block (regexes, matched at the start).
FOLLOW_US: dict[str, str] = {
    "fr": r"suivez\b|abonnez-vous|rejoignez-nous|inscrivez-vous|retrouvez-nous|je m'abonne\b",
    "en": r"follow us\b|follow\b.{0,40}\bon (?:twitter|x|facebook|instagram|telegram)\b"
    r"|subscribe to\b|sign up (?:for|to)\b|join us on\b",
    "de": r"folgen sie\b|abonnieren sie\b|melden sie sich\b.{0,40}\bnewsletter",
    "es": r"s[íi]guenos\b|suscr[íi]bete\b",
    "pt": r"siga-nos\b|inscreva-se\b|assine (?:a|o|nossa|nosso)\b",
    "ru": r"подписывайтесь\b|подпишитесь\b|следите за нами\b",
}

# Newsletter sign-up boxes, recognised by the e-mail field they ask to fill (regexes, anywhere in
# a short block).
SIGNUP: dict[str, str] = {
    "fr": r"votre (?:adresse )?e-?mail|saisissez votre",
    "en": r"enter (?:your )?e-?mail|your e-?mail address",
    "de": r"ihre e-?mail(?:-adresse)?",
    "es": r"tu (?:correo|e-?mail)|su correo electr[óo]nico",
    "pt": r"seu e-?mail",
    "ru": r"ваш e-?mail|адрес электронной почты",
}

# Paywall prompts: the article readable without an account ends there (regexes, anywhere in a
# short block; ``index.fields`` ends the article at one).
PAYWALL: dict[str, str] = {
    "fr": r"déjà abonné|abonnez-vous pour lire|pour lire la suite|la suite est réservée",
    "en": r"already a subscriber|subscribe to (?:continue|read)|to continue reading",
    "de": r"bereits abonnent|jetzt weiterlesen mit|um weiterzulesen",
    "es": r"ya soy suscriptor|ya eres suscriptor|para seguir leyendo",
    "pt": r"já é assinante|já sou assinante|para continuar lendo",
    "ru": r"уже подписчик|оформите подписку|чтобы читать дальше|чтобы продолжить чтение"
    r"|чтобы прочитать (?:целиком|полностью)",
}

# Share prompts opening a short block: "Partager sur Facebook", "Share this article" (regexes).
SHARE: dict[str, str] = {
    "fr": r"partager (?:sur|cet|l['’]article|par|via)\b|partagez\b",
    "en": r"share (?:this|on|via|the|article|story)\b|print friendly",
    "de": r"teilen (?:sie|auf|per|via)\b|artikel teilen",
    "es": r"compart(?:ir|e) (?:en|este|esta|por)\b",
    "pt": r"compartilh(?:ar|e) (?:no|na|este|esta|por)\b",
    "ru": r"поделиться\b",
    "zh": r"分享",
}

# Share and comment counters ("59 commentaires 76 partages", "Share Tweet"): a block made only
# of numbers and these words goes.
COUNTER_WORDS: dict[str, str] = {
    "*": "facebook|twitter|whatsapp|telegram|linkedin|messenger|email|e-mail|x|vk|вконтакте"
    "|livejournal|одноклассники|pinterest|reddit|flipboard|bluesky|threads|mastodon",
    "fr": "commentaire|commentaires|partage|partages|partager|réagir|réactions|vues|imprimer"
    "|envoyer|tweeter|copier le lien|lien copié|réponse|réponses",
    "en": "comment|comments|share|shares|like|likes|view|views|tweet|print|copy link|reply|replies",
    "de": "kommentar|kommentare|teilen|geteilt|drucken|link kopieren",
    "es": "comentario|comentarios|compartir|compartido|imprimir",
    "pt": "comentário|comentários|compartilhar|compartilhamentos|imprimir",
    "ru": "комментарий|комментария|комментариев|комментарии|поделиться|просмотров|просмотра",
}

# Lone UI labels (a whole block, case and end punctuation ignored): buttons, menus, ads.
UI_LINES: dict[str, str] = {
    "*": "ok|×|x|menu|rss|loading|newsletter|newsletters|préc. suiv|logo|podcasts|direct|live",
    "fr": "accueil|retour à l'accueil|rechercher|recherche|fermer|publicité|se connecter"
    "|s'abonner|mon compte|précédent|suivant|lire la suite|voir plus|retour en haut|chargement"
    "|répondre|abonné|article réservé aux abonnés|connectez-vous pour répondre|en direct"
    "|retourner en haut de la page|lire le journal|plus d'actu|vidéo suivante|alerte info",
    "en": "home|search|close|advertisement|skip advertisement|sign in|log in|subscribe|previous"
    "|next|back to top|continue reading|image caption|media caption|link copied|reply|thread"
    "|watch|listen|ad feedback|video ad feedback|play video|up next|story continues below",
    "de": "startseite|suche|schließen|anzeige|werbung|anmelden|zurück|weiter|nach oben"
    "|antworten|weiterlesen",
    "es": "inicio|buscar|cerrar|publicidad|anterior|siguiente|responder|seguir leyendo",
    "pt": "início|pesquisar|fechar|publicidade|anterior|próximo|responder|continuar lendo",
    "ru": "главная|поиск|закрыть|реклама|войти|наверх|далее|подпись к фото|ответить"
    "|развернуть ветку|читать далее|новости",
    "zh": "小字号|大字号|客户端下载|客户 端 下载|返回顶部|返回 顶部|登录|退出|打印|关闭",
}

# UI labels with a number in them: reading times ("Temps de lecture 3 min", "4 min read",
# "Время чтения 2 мин"), "This article is more than 1 month old", video player countdowns
# ("Vidéo suivante dans 5 secondes"), and a lone social handle ("@jonhenley").
UI_PATTERNS = (
    r"^(?:temps de lecture|lecture|reading time|lesezeit|tiempo de lectura|tempo de leitura"
    r"|время чтения)\s*:?\s*\d+\s*\w*\.?$|^\d+\s*(?:min|minutes?|мин)\.?\s+(?:read|de lecture"
    r"|lesezeit|de lectura|de leitura|чтения)$|^this article is more than \w+ \w+ old$|^@\w+$"
    r"|^(?:vidéo suivante|next video|nächstes video|siguiente vídeo|próximo vídeo|следующее видео)"
    r" (?:dans|in|en|em|через) \d+ \w+$"
)

# Photo captions end with their credit: "… Photograph: Yui Mok/PA", "… © Jakub Porzycki /
# NurPhoto", "… (AP Photo/Susan Walsh)", "… — Michel Euler/AP/SIPA", "… Getty Images".
# Also a caption ending in "Photographer/Agency", the way agencies sign.
CAPTION_CREDIT = (
    r"(?:©|\bphoto(?:graph)?s?\s*:|\bcr[ée]dit(?:s)?(?:\s+photos?)?\s*:|\bfotos?\s*:"
    r"|\bфото\s*:|\bimage\s*:|\(AP Photo|\bgetty images|/\s*(?:AFP|AP|Reuters|EPA|SIPA"
    r"|dpa|MAXPPP|ANP|TASS|ТАСС|РИА Новости)\b)"
    r"|(?-i:[A-Z][\w'-]+ [A-Z][\w'-]+ ?/ ?[A-Z][\w.&-]+(?: [A-Z][\w.&-]+)*"
    r"(?: ?/ ?[A-Z][\w.&-]+)*)\)?\.?$"
)

# Bylines: a marker, then names (capitalised words and connectors), then maybe a stamp.
BYLINE_MARKERS: dict[str, str] = {
    "fr": "par|propos recueillis par|texte|texte de|article rédigé par|rédigé par",
    "en": "by|written by|words by|reporting by",
    "de": "von|text|text von|autor|autorin",
    "es": "por|texto|autor|autora",
    "pt": "por|texto|autor|autora|da redação",
    "ru": "автор|авторы|текст|корреспондент",
    "zh": "记者|责编|责任编辑|编辑|来源",
}
# A byline whose marker says it all may name its author in lowercase ("Article rédigé par
# franceinfo"): multi-word markers, followed by at most this many words.
_SPELLED_BYLINE_WORDS = 4

# Comment sections: a heading, or a commenter's name before what they say (regexes, whole
# block); ``index.fields`` ends the article at one.
COMMENTS: dict[str, str] = {
    "fr": r"(?:vos |\d+ )?commentaires?|réagissez|laisser un commentaire|.{1,40} dit ?:",
    "en": r"(?:\d+ )?comments|leave a comment|join the conversation|.{1,40} says ?:",
    "de": r"(?:\d+ )?kommentare|.{1,40} schreibt ?:",
    "es": r"(?:\d+ )?comentarios|deja un comentario|.{1,40} dice ?:",
    "pt": r"(?:\d+ )?comentários|deixe um comentário|.{1,40} diz ?:",
    "ru": r"(?:\d+ )?комментари\w+|оставить комментарий|.{1,40} пишет ?:",
}

# Words allowed between names in a byline: "X and Y", "Le Parisien avec AFP".
NAME_CONNECTORS = "and|et|und|y|e|и|with|avec|mit|con|com|de|du|des|van|von|der|da|dos|la|le"

# Copyright footers ("© 2023 BBC", "Copyright ... tous droits réservés"): dropped, not a credit.
FOOTER = (
    r"^(?:©|\(c\)|copyright\b).*(?:\b(?:19|20)\d\d\b|droits|rights|réservés|vorbehalten"
    r"|derechos|direitos|права)"
    r"|tous droits réservés|all rights reserved|alle rechte vorbehalten"
    r"|todos los derechos reservados|todos os direitos reservados|все права защищены"
    r"|reproduction interdite|mentions légales|terms of (?:use|service)|nutzungsbedingungen"
    r"|aviso legal|termos de uso|пользовательское соглашение"
)

# Rendering artefacts of lynx dumps: <link rel> header lines (#alternate), buttons, iframes,
# meta refresh, image placeholders ([logo.png]), empty checkboxes, form fields, skip links,
# lines that are only a URL, a URL tail or a run of %-escapes.
ARTEFACTS = (
    r"^#\S|^\(BUTTON\)|^IFRAME:|^REFRESH\(|^\[[^\]]*\]$|\[[\s_xX]?\]|(?:%[0-9A-F]{2}[^%]*){3}"
    r"|^(?:skip to|aller au contenu|passer au contenu|aller à la navigation|перейти к содерж"
    r"|zum inhalt springen|ir al contenido|ir para o conteúdo)"
    r"|^(?:url|source)\s*:\s*https?://\S+$|^\S*(?:https?://|www\.|[=&])\S*$|^_{3,}|\[INS:"
    r"|skip to (?:main )?content|^[{\[]\"\w+\":"
)

# Tag lists: "Tags : immigration, Europe", "Mots-clés :", "Темы:" (a regex at the start).
TAGS = r"(?:tags?|mots-clés|sujets|schlagwörter|themen|etiquetas|temas|tópicos|теги|темы)\s*:"

# Characters that separate breadcrumb items ("Accueil > Monde > Europe") and link bars
# ("About | Contact | Jobs").
BREADCRUMB_SEPARATORS = "›>»/|·"

# ---------------------------------------------------------------------------------------------
# Compiled forms of the tables.
# ---------------------------------------------------------------------------------------------


def _phrases(table: dict[str, str]) -> frozenset[str]:
    return frozenset(p.casefold() for value in table.values() for p in value.split("|"))


def _regex(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


def _alternatives(table: dict[str, str]) -> str:
    phrases = sorted(_phrases(table), key=len, reverse=True)  # "à lire aussi" before "à lire"
    return "|".join(re.escape(p) for p in phrases)


_READ_ALSO_RE = re.compile(_alternatives(READ_ALSO), re.IGNORECASE)
_END_RE = re.compile(rf"(?:{_alternatives(END_HEADINGS)})\b", re.IGNORECASE)
CREDIT_RE = re.compile(rf"(?:{'|'.join(CREDIT_MARKERS.values())})\s*", re.IGNORECASE)
# Matched against casefolded text without IGNORECASE: four times faster on long paragraphs,
# where this search ran on every block and took a fifth of the indexing time (py-spy).
_CONSENT_RE = _regex(list(CONSENT.values()), flags=0)
_TOPIC_RE = _regex([CONSENT_TOPICS])
_CONTEXT_RE = re.compile(rf"\b(?:{'|'.join(CONSENT_CONTEXT.values())})\b", re.IGNORECASE)
_FOLLOW_RE = _regex(list(FOLLOW_US.values()))
_SHARE_RE = _regex(list(SHARE.values()))
_SIGNUP_RE = _regex(list(SIGNUP.values()))
_PAYWALL_RE = _regex(list(PAYWALL.values()))
_COUNTER_SET = _phrases(COUNTER_WORDS)
_COUNTER_RE = re.compile(rf"(?:{_alternatives(COUNTER_WORDS)})(?!\w)", re.IGNORECASE)
_UI_SET = _phrases(UI_LINES)
_UI_PATTERNS_RE = re.compile(UI_PATTERNS, re.IGNORECASE)
_TAGS_RE = re.compile(TAGS, re.IGNORECASE)
_COMMENTS_RE = re.compile(rf"(?:{'|'.join(COMMENTS.values())})$", re.IGNORECASE)
_BYLINE_RE = re.compile(rf"^(?:{_alternatives(BYLINE_MARKERS)})\s*:?\s+(?=\w)", re.IGNORECASE)
_CONNECTORS = frozenset(NAME_CONNECTORS.split("|"))
FOOTER_RE = re.compile(FOOTER, re.IGNORECASE)
_ARTEFACT_RE = re.compile(ARTEFACTS, re.IGNORECASE)
_CAPTION_RE = re.compile(CAPTION_CREDIT, re.IGNORECASE)
_GLUED_RE = re.compile(r"(?<=[a-zà-ÿа-яё])(?=[A-ZÀ-ÝА-ЯЁ][a-zà-ÿа-яё])")
# Where the names of a byline end: a digit, or punctuation that opens an outlet or a date.
_NAMES_END_RE = re.compile(r"[\d,|/•·–—(]")
SEPARATORS = ":>»›|–—-.…"
STRIP_UI = " .:!…|>-–—·•*"
SHORT = 6  # menu items and buttons are at most this many words long
_MAX_STAMP_WORDS = 20
_MAX_BYLINE_WORDS = 12
_MAX_OUTLET_WORDS = 4  # "By X, dpa", "Por Y, da Folha"
_MAX_HEADING_WORDS = 6  # "more stories" headings
_MAX_PROMPT_WORDS = 30  # newsletter and paywall boxes
_MAX_LINK_WORDS = 5  # items of a breadcrumb or link bar
_MAX_CAPTION_WORDS, _CAPTION_TAIL_WORDS = 60, 14

# ---------------------------------------------------------------------------------------------
# Predicates.
# ---------------------------------------------------------------------------------------------


def key(text: str) -> str:
    """``text`` folded for comparing labels: case, spacing and end punctuation ignored."""
    return " ".join(text.casefold().strip(STRIP_UI).split())


def is_end_heading(text: str) -> bool:
    """Whether ``text`` is a "more stories" heading ("More from CNN Business" too) or opens the
    comments ("Vos commentaires", "Jean dit :"): what follows is not the article."""
    if count_words(text) > _MAX_HEADING_WORDS:
        return False
    return bool(_END_RE.match(key(text)) or _COMMENTS_RE.fullmatch(text.strip()))


def _is_consent(text: str) -> bool:
    if _CONSENT_RE.search(text.casefold()):
        return True
    short = count_words(text) <= SHORT  # a menu item: "Gestion des cookies", "Privacy policy"
    return bool(_TOPIC_RE.search(text)) and (short or bool(_CONTEXT_RE.search(text)))


def _is_counter(text: str) -> bool:
    if count_words(text) > 12:
        return False
    rest = _COUNTER_RE.sub(" ", text)
    if rest == text:
        return False
    return all(t.strip(STRIP_UI + ",()").isdigit() or not t.strip(STRIP_UI) for t in rest.split())


def _is_ui(text: str) -> bool:
    label = key(text)
    return label in _UI_SET or bool(_UI_PATTERNS_RE.match(label)) or not any(map(str.isalpha, text))


def is_stamp(text: str) -> bool:
    """A publication or update stamp ("Publié le 08/03/22 à 15h29", "AFP, publié le …",
    "Updated Feb. 28, 2022, 5:00 AM UTC"), or a date standing alone."""
    text = _unglue(text)
    if count_words(text) > _MAX_STAMP_WORDS:
        return False
    if STAMP_RE.fullmatch(key(text)) or RELATIVE_AGE_RE.match(key(text)):
        return True  # "Published" (the date is on the next line), "3h ago"
    match = STAMP_RE.search(text)
    dated = find_date(text) is not None
    if not (dated or (match and (TIME_RE.search(text) or DAY_MONTH_RE.search(text)))):
        return False
    # What is left once dates, times, stamp words and weekdays are gone: a source ("AFP,") or
    # nothing; prose that mentions a date keeps most of its words.
    left = count_words(strip_dates(text).strip(STRIP_UI + ",/()"))
    return left <= (SHORT if match else 1)


def _unglue(text: str) -> str:
    """Words that lynx glued together split again ("PackUpdated" → "Pack Updated")."""
    return _GLUED_RE.sub(" ", text)


def is_byline(text: str) -> bool:
    """A byline: "Par Mathilde Cousin", "By Steven Lee Myers and Nico Grant", "Автор: Иван
    Петров", maybe followed by an outlet and a stamp ("By X, New York Times, Updated …")."""
    text = _unglue(text)
    match = _BYLINE_RE.match(text)
    if match is None or count_words(text) > _MAX_BYLINE_WORDS + _MAX_STAMP_WORDS:
        return False
    rest = text[match.end() :]
    if " " in match.group().strip() and count_words(rest) <= _SPELLED_BYLINE_WORDS:
        return True  # "Article rédigé par franceinfo"
    ends = [m.start() for m in (STAMP_RE.search(rest), _NAMES_END_RE.search(rest)) if m]
    cut = min(ends, default=len(rest))
    tail = rest[cut:].strip(STRIP_UI + ",/()")
    if not is_name_list(rest[:cut]):
        return False
    outlet = count_words(tail) <= _MAX_OUTLET_WORDS and tail[-1:] not in ".!?"
    return not tail or outlet or is_stamp(tail) or is_name_list(tail)


def is_name_list(text: str) -> bool:
    """Whether ``text`` is only names: capitalised words joined by connectors ("X and Y")."""
    words = [w.strip("\"'“”«»()") for w in text.split()]
    words = [w for w in words if w and w != "&"]
    if not 1 <= len(words) <= _MAX_BYLINE_WORDS or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w in _CONNECTORS for w in words)


def _is_breadcrumb(text: str) -> bool:
    if _TAGS_RE.match(text) and count_words(text) <= _MAX_PROMPT_WORDS:
        return True  # "Tags : immigration, le crayon"
    parts = [p.strip() for p in re.split(rf"[{re.escape(BREADCRUMB_SEPARATORS)}]+", text)]
    parts = [p for p in parts if p]
    if len(parts) < 3 or text.rstrip()[-1:] in ".!?。":
        return False
    return all(count_words(p) <= _MAX_LINK_WORDS for p in parts)


def is_caption(text: str) -> bool:
    """A photo caption: a short text whose last words credit a photographer or agency."""
    words = text.split()
    if len(words) > _MAX_CAPTION_WORDS:
        return False
    return bool(_CAPTION_RE.search(" ".join(words[-_CAPTION_TAIL_WORDS:])))


# Boilerplate rules in the order they are tried; the name says what each removes.
_BOILERPLATE = (
    ("artefact", lambda text: bool(_ARTEFACT_RE.search(text))),  # lynx rendering debris
    ("ui", _is_ui),  # lone button/menu/ad labels ("OK"), reading times, lines without letters
    ("consent", _is_consent),  # cookie and consent banners, privacy-policy links
    (
        "paywall",
        lambda text: count_words(text) <= _MAX_PROMPT_WORDS and bool(_PAYWALL_RE.search(text)),
    ),
    ("follow", lambda text: count_words(text) <= 15 and bool(_FOLLOW_RE.match(text))),
    ("share", lambda text: count_words(text) <= 8 and bool(_SHARE_RE.match(text))),
    (
        "signup",
        lambda text: count_words(text) <= _MAX_PROMPT_WORDS and bool(_SIGNUP_RE.search(text)),
    ),
    ("counter", _is_counter),  # share and comment counters, social network names
    ("stamp", is_stamp),  # "Publié le … Mis à jour …", a date alone
    ("byline", is_byline),  # "Par X", "By X and Y"
    ("nav", _is_breadcrumb),  # "Accueil > Monde > Europe", "About | Contact", "Tags : X, Y"
    ("footer", lambda text: count_words(text) <= 60 and bool(FOOTER_RE.search(text))),
    ("caption", is_caption),  # "… Photograph: Yui Mok/PA"
)
RULES = tuple(name for name, _matches in _BOILERPLATE)


def boilerplate_rule(text: str) -> str | None:
    """The name of the first boilerplate rule ``text`` (one block) matches, else None."""
    for name, matches in _BOILERPLATE:
        if matches(text):
            return name
    return None


def read_also_title(text: str) -> str | None:
    """The headline announced by a "read also" line ("" if the marker stands alone), else None."""
    stripped = text.lstrip("|>•*-– ")
    match = _READ_ALSO_RE.match(stripped)
    if match is None:
        return None
    rest = stripped[match.end() :]
    title = rest.lstrip(SEPARATORS + " ")
    if not title or any(ch in SEPARATORS for ch in rest[: len(rest) - len(title)]):
        return title
    # "Read more about it", "Lire aussitôt": a sentence that starts like a marker.
    return None if title[0].islower() else title


def credit_of(text: str, title: str) -> str | None:
    """The photo credit a block carries: glued to the repeated title ("Title© AFP") or alone on
    a short line ("Photo : X"); "" for a copyright footer; None if the block is no credit."""
    if title and text.startswith(title):
        rest = text[len(title) :].lstrip()
        match = CREDIT_RE.match(rest)
        if match:
            return rest[match.end() :].strip()
    if not CREDIT_RE.match(text) or count_words(text) > 12:
        return None
    return "" if FOOTER_RE.search(text) else CREDIT_RE.sub("", text, count=1).strip()
