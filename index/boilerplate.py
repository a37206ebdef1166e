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
from collections.abc import Callable

from index.dates import DAY_MONTH_RE, RELATIVE_AGE_RE, STAMP_RE, TIME_RE, find_date, strip_dates
from index.ignorecase import IgnoreCase, compile_ignorecase, fold
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
    "ru": "читайте также|смотрите также|смотри также|читать также|по теме|ещё по теме|еще по теме",
}

# Headings that open the "more stories" part of a page: they and everything after them go.
END_HEADINGS: dict[str, str] = {
    "fr": "articles similaires|sur le même sujet|dans la même rubrique|les plus lus"
    "|vous pourriez aussi aimer|vous aimerez aussi|à découvrir aussi|les plus partagés"
    "|dernières actualités|toute l'actualité|plus d'actu|la rédaction vous conseille"
    "|à lire sur le même sujet|nos dernières vidéos|les dernières infos|dans la rubrique"
    "|poursuivez votre lecture|sur le même thème|pour approfondir|crédits de l'épisode",
    "en": "related stories|related articles|related content|related posts|related topics"
    "|more on this story|more stories|most popular|most read|most viewed|you may also like"
    "|recommended|trending now|trending news|more from|explore related topics|next article"
    "|about the author|comments & discussion|top stories|latest stories|editors' picks"
    "|episode credits|more to explore|read more on this topic",
    "de": "mehr zum thema|das könnte sie auch interessieren|meistgelesen|weitere artikel"
    "|neueste artikel|zum weiterlesen",
    "es": "noticias relacionadas|lo más leído|lo más visto|más leídas|te puede interesar"
    "|más noticias|sigue leyendo",
    "pt": "notícias relacionadas|mais lidas|mais vistas|últimas notícias|leia a seguir",
    "ru": "самое популярное|самое читаемое|главное|не пропустите|похожие материалы|темы"
    "|другие материалы|новости партнеров|читать на эту тему|новые и лучшие|новости по теме",
}

# Photo credits ("© X", "Photo : X"), glued to the repeated title or alone on a short line:
# the text after the marker becomes ``credit`` and the line leaves the body (regexes).
CREDIT_MARKERS: dict[str, str] = {
    "*": r"©|\(c\)",
    "fr": r"photos?\s*:|cr[ée]dits?(?:\s+photos?)?\s*:|illustration\s*:",
    "en": r"photo(?:graph)?s?(?:\s+credit)?\s*:|credits?\s*:|credit\s*(?:\.\.\.|…)|image source,"
    r"|image\s*:",
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
    "fr": r"suivez\b|abonnez-vous|rejoignez-nous|inscrivez-vous|retrouvez-nous|je m['’]abonne\b",
    "en": r"follow us\b|follow\b.{0,40}\bon (?:twitter|x|facebook|instagram|telegram)\b"
    r"|subscribe to\b|sign up (?:for|to)\b|join us on\b|connect with us\b|stay connected\b"
    r"|get more news",
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
    "fr": r"déjà abonné|abonnez-vous pour lire|s['’]abonner pour lire|pour lire la suite"
    r"|la suite est réservée"
    r"|réservée? aux abonnés|il vous reste \d+\s?% (?:à|de)|continuez à lire (?:votre|cet) article"
    r"|libre de vous (?:abonner|désabonner)",
    "en": r"already a subscriber|subscribe to (?:continue|read)|to continue reading"
    r"|(?:for|exclusive to) subscribers only|you have \d+ free articles? left",
    "de": r"bereits abonnent|jetzt weiterlesen mit|um weiterzulesen|nur für abonnenten",
    "es": r"ya soy suscriptor|ya eres suscriptor|para seguir leyendo|exclusivo para suscriptores",
    "pt": r"já é assinante|já sou assinante|para continuar lendo|exclusivo para assinantes",
    "ru": r"уже подписчик|оформите подписку|чтобы читать дальше|чтобы продолжить чтение"
    r"|только для подписчиков"
    r"|чтобы прочитать (?:целиком|полностью)",
}

# Newsletter promotions: a short block naming a newsletter (or an inbox) and offering it, or a
# box title such as "skip past newsletter promotion" (regexes: the topic, then the offer).
NEWSLETTER_TOPIC: dict[str, str] = {
    "fr": r"newsletters?|lettres? d['’]information|bo[iî]te (?:mail|e-mail|de réception)",
    "en": r"newsletters?|(?:in|to) your inbox|briefing|e-?mail updates",
    "de": r"newsletter|postfach|e-mail-postfach",
    "es": r"newsletters?|boletín|bandeja de entrada|tu correo",
    "pt": r"newsletters?|boletim|caixa de entrada|seu e-?mail",
    "ru": r"рассылк\w*|newsletter|на почту|в почтовый ящик",
}
NEWSLETTER_OFFER: dict[str, str] = {
    "fr": r"recevez|inscri\w+|abonne\w*|gratuite?s?|chaque (?:jour|semaine|matin|soir)|tous les "
    r"(?:jours|matins|soirs)|directement|découvrez",
    "en": r"sign(?:ing)? up|subscribe|get\b|receive|free|weekly|daily|delivered|every (?:morning|"
    r"day|week|\w+day)|promotion|straight to",
    "de": r"abonnieren|anmelden|erhalten|kostenlos|täglich|wöchentlich|jeden",
    "es": r"suscr[íi]b\w+|recibe|recibir|gratis|gratuito|cada (?:d[íi]a|semana|mañana)"
    r"|diario|semanal",
    "pt": r"inscrev\w+|assine|receba|receber|gr[áa]tis|gratuit[ao]|toda (?:semana|manhã)"
    r"|di[áa]ri[ao]",
    "ru": r"подпи\w+|получайте|получать|бесплатн\w+|каждый (?:день|вечер)|каждую неделю|"
    r"еженедельн\w+|ежедневн\w+",
}

# Imperatives a promotion addresses to the reader (regexes).
IMPERATIVES: dict[str, str] = {
    "fr": r"recevez|inscrivez|abonnez|découvrez|téléchargez|retrouvez|suivez",
    "en": r"sign up|subscribe|get\b|receive|download|don't miss",
    "de": r"abonnieren sie|melden sie|erhalten sie|laden sie",
    "es": r"suscr[íi]bete|recibe|descarga|no te pierdas",
    "pt": r"inscreva-se|assine|receba|baixe|não perca",
    "ru": r"подпишитесь|подписывайтесь|получайте|скачайте|не пропустите",
}

# App promotions: a short block naming the site's app and asking to get or open it (regexes).
APP_TOPIC: dict[str, str] = {
    "fr": r"l['’]appli(?:cation)?\b|notre appli(?:cation)?\b|app store|google play",
    "en": r"\bapps?\b|app store|google play|on ios\b|on android\b",
    "de": r"\bapps?\b|app store|google play",
    "es": r"\bapps?\b|la aplicación|app store|google play",
    "pt": r"\bapps?\b|o aplicativo|app store|google play",
    "ru": r"приложени\w+|app store|google play",
}
APP_OFFER: dict[str, str] = {
    "fr": r"téléchargez|télécharger|installez|ouvrir|ouvrez|disponible|retrouvez|découvrez"
    r"|en téléchargeant|soyez alerté",
    "en": r"download|install|open this|get the|get our|available on|try the|listen in",
    "de": r"herunterladen|laden sie|installieren|öffnen|jetzt",
    "es": r"descarga|descargar|instala|abre|disponible",
    "pt": r"baixe|baixar|instale|abra|dispon[íi]vel",
    "ru": r"скачайте|скачать|установите|откройте|доступн\w+",
}

# Advertising markers: the label over an advertisement, sponsored content, "the article goes on
# after this advertisement" (regexes, in a short unpunctuated block or a whole marker sentence).
ADVERTISING: dict[str, str] = {
    "fr": r"publicité|contenus? sponsorisés?|contenu (?:partenaire|de marque)|article sponsorisé"
    r"|liens? (?:commerciaux|sponsorisés)|l['’]article continue (?:après|sous) (?:cette|la) pub"
    r"|la suite (?:après|sous) cette (?:publicité|annonce)|en partenariat avec",
    "en": r"advertisements?|sponsored(?: content| stories| links| by)?|paid (?:content|post|"
    r"partnership)|promoted (?:content|stories)|partner content|(?:story|article) continues "
    r"(?:below|after)|advertiser content",
    "de": r"anzeigen?|werbung|gesponsert|bezahlte partnerschaft|sponsored|artikel wird unter der "
    r"anzeige fortgesetzt",
    "es": r"publicidad|contenido patrocinado|patrocinado|el artículo continúa (?:debajo|después)",
    "pt": r"publicidade|conteúdo patrocinado|patrocinado"
    r"|continua (?:depois|após) (?:a|da) publicidade",
    "ru": r"реклам[аеуы]|на правах рекламы|партнерский материал|партнёрский материал|спецпроект",
}

# Podcast and audio promotions: "Listen to this article", "en podcast et en replay", episode
# lists and credits (regexes, anywhere in a short block).
AUDIO: dict[str, str] = {
    "fr": r"écouter (?:l['’]article|cet article|l['’]épisode|le podcast|l['’]émission)"
    r"|en podcast|en replay|(?:voir|écouter) (?:tous |toutes )?(?:les |nos )?(?:autres )?"
    r"(?:épisodes|podcasts|émissions)|s['’]abonner (?:au podcast|via)|tous nos podcasts"
    r"|^écouter\s*[-–—]?\s*\d|version vidéo (?:ici|de)",
    "en": r"listen to (?:this|the) (?:article|story|episode|podcast)|audio produced by"
    r"|(?:this|the) episode was produced|episode credits|subscribe to (?:the|our) podcast"
    r"|listen (?:on|wherever you get)|all (?:our )?podcasts|sound design(?:ed|er)"
    r"|(?:audio|podcast) app\b|narrated by|^listen\s*[-–—]?\s*\d|video version (?:here|of)",
    "de": r"artikel (?:anhören|vorlesen)|podcast (?:abonnieren|hören)|alle (?:folgen|podcasts)"
    r"|hören sie (?:den|diesen|alle)",
    "es": r"escuchar? (?:este|el) (?:artículo|episodio|podcast)|todos (?:los|nuestros) podcasts"
    r"|suscr[íi]bete al podcast",
    "pt": r"ouça (?:este|o) (?:artigo|episódio|podcast)|ouvir (?:este|o) (?:artigo|episódio|"
    r"podcast)|todos os (?:episódios|podcasts)|assine o podcast",
    "ru": r"слушать (?:статью|подкаст|выпуск)|слушайте (?:наш |подкаст|на)|все выпуски"
    r"|подписывайтесь на подкаст|видеоверсия|аудиоверсия",
}

# Appeals for support: donations, or a subscription asked as support for the newsroom ("Cet
# article est publié en accès libre… soutenez-nous", "Support independent journalism").
APPEAL: dict[str, str] = {
    "fr": r"publié en accès libre|soutenez(?:-nous| notre| le journalisme| une rédaction)"
    r"|nous soutenir en (?:vous abonnant|faisant un don)|faites un don",
    "en": r"support (?:our|independent|quality) journalism|become a (?:member|supporter|patron)"
    r"|make a (?:donation|contribution)|donate (?:now|today)|chip in",
    "de": r"unterstützen sie (?:uns|unabhängigen journalismus)|jetzt spenden",
    "es": r"apoya (?:nuestro|el) periodismo|haz una donación|hazte socio",
    "pt": r"apoie (?:o|nosso) jornalismo|faça uma doação|seja (?:um )?apoiador",
    "ru": r"поддержите (?:нас|редакцию|издание)|нам очень нужна ваша помощь"
    r"|(?:регулярн\w+ )?пожертвовани\w+",
}

# Transcript disclaimers: "This is a rush transcript", "Transcription générée automatiquement"
# (regexes, anywhere in a short block).
TRANSCRIPT: dict[str, str] = {
    "fr": r"transcription (?:générée|réalisée|automatique)|cette transcription"
    r"|(?:texte|transcription) (?:non relue?|édité pour)",
    "en": r"rush transcript|(?:this|the) transcript (?:has been|was|is)|transcripts? (?:may|"
    r"might) contain errors|(?:computer|machine|ai)[- ]generated transcript|automatically "
    r"generated transcript|may not be in its final form|edited for (?:length and )?clarity",
    "de": r"transkript|abschrift (?:wurde|ist)|automatisch erstellte",
    "es": r"transcripción (?:generada|automática|editada)|esta transcripción",
    "pt": r"transcrição (?:gerada|automática|editada)|esta transcrição",
    "ru": r"расшифровк\w+ (?:сделан\w*|подготовлен\w*|автоматическ\w*)|стенограмм\w+ "
    r"(?:сокращен\w*|отредактирован\w*)|автоматическая расшифровка",
}

# Wire-agency distribution notices: what an agency or syndicate appends to the stories it
# distributes (regexes, anywhere in a short block).
WIRE: dict[str, str] = {
    "fr": r"avec (?:l['’])?(?:afp|ap|reuters|belga|ats|apa)$|\bavec (?:agences|l['’]agence)"
    r"|(?:dépêche|selon l['’]agence) (?:afp|reuters)|tous droits de reproduction"
    r"|reproduction (?:interdite|partielle ou totale)",
    "en": r"may not be (?:published|reproduced|redistributed|broadcast)|auto-generated from a "
    r"syndicated feed|has not been edited by|(?:distributed|syndicated) by|republished "
    r"(?:with|under) (?:permission|a creative commons)|(?:originally )?appeared (?:first )?"
    r"(?:on|in) (?:the )?(?:conversation|associated press)|contributed to this report",
    "de": r"mit material (?:von|der)|(?:^|\()(?:dpa|apa|afp|reuters|kna|epd)(?:/\w+)?\)?$"
    r"|nachdruck (?:nur|verboten)",
    "es": r"con información de|(?:^|\()(?:efe|ep|afp|reuters|europa press)\)?$|prohibida (?:su|la)"
    r" (?:reproducción|redistribución)",
    "pt": r"com informações (?:d[aoe]s?|da agência)|(?:^|\()(?:agência brasil|estadão conteúdo|"
    r"folhapress|lusa)\)?$|(?:é )?proibida a (?:reprodução|redistribuição)",
    "ru": r"при (?:использовании|цитировании) материал\w*|перепечатка (?:материал\w*|запрещена)"
    r"|по материалам (?:тасс|риа новости|интерфакс|reuters|afp|ap)",
}

# Author biographies at the foot of an article: "Tiffany Hsu is a tech reporter covering …",
# "Rédacteur en chef de la revue …" (regexes: the role words; a bio names a role, short).
BIO_ROLES: dict[str, str] = {
    "fr": r"journaliste|rédact(?:eur|rice)(?: en chef)?|correspondante?|reporter|chroniqueu(?:r|se)"
    r"|éditorialiste|chef du service|cheffe? de rubrique|directeur de la rédaction",
    "en": r"reporter|correspondent|journalist|editor|columnist|writer|producer|anchor|contributor"
    r"|(?:senior )?fellow|bureau chief",
    "de": r"redakteur(?:in)?|korrespondent(?:in)?|journalist(?:in)?|reporter(?:in)?|autor(?:in)?",
    "es": r"periodista|redactora?|corresponsal|reportera?|editora?|columnista",
    "pt": r"jornalista|redatora?|correspondente|repórter|editora?|colunista",
    "ru": r"журналист\w*|корреспондент\w*|редактор\w*|обозревател\w*|колумнист\w*",
}
# "More about Tiffany Hsu", "A version of this article appears in print on …": the foot of an
# article (regexes, anywhere in a short block).
BIO_MARKERS: dict[str, str] = {
    "fr": r"(?:article|chronique) (?:publié|paru)e? dans (?:l['’]édition|le numéro|le magazine)"
    r"|voir (?:tous )?(?:les|ses) articles de|plus d['’]informations sur l['’]auteur",
    "en": r"more about [A-Z]|a version of this (?:article|story) appear(?:s|ed) in print"
    r"|(?:see|read) (?:all|more) (?:articles|stories) by|about the author",
    "de": r"mehr (?:artikel|texte) von|dieser (?:artikel|text) erschien (?:zuerst|in der)",
    "es": r"más (?:artículos|noticias) de|este artículo (?:se publicó|fue publicado) en la edición",
    "pt": r"mais (?:artigos|textos) de|este (?:artigo|texto) foi publicado na edição",
    "ru": r"все (?:материалы|статьи|публикации) автора|материал опубликован в (?:номере|журнале)",
}

# Social posts embedded in a page: what the player shows around the post (regexes).
EMBED: dict[str, str] = {
    "fr": r"voir cette publication sur|une publication partagée par|ce contenu n['’]est pas "
    r"disponible|afficher (?:le|ce) contenu",
    "en": r"view this post on|a post shared by|this content is (?:not|no longer) available"
    r"|view on (?:instagram|twitter|x|facebook|tiktok)",
    "de": r"diesen beitrag auf .{1,20} ansehen|ein beitrag geteilt von",
    "es": r"ver esta publicación en|una publicación compartida (?:de|por)",
    "pt": r"ver essa foto no|ver esta publicação no|uma publicação compartilhada (?:por|de)",
    "ru": r"посмотреть эту публикацию в|публикация от|пост, которым поделил",
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
    "|livejournal|одноклассники|pinterest|reddit|flipboard|bluesky|threads|mastodon|instagram"
    "|youtube|tiktok|snapchat|dailymotion|rss",
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
    "|retourner en haut de la page|lire le journal|plus d'actu|vidéo suivante|alerte info"
    "|téléchargez|télécharger|regarder la vidéo|voir la vidéo|plus d'informations|en savoir plus",
    "en": "home|search|close|advertisement|skip advertisement|sign in|log in|subscribe|previous"
    "|next|back to top|continue reading|image caption|media caption|link copied|reply|thread"
    "|watch|listen|ad feedback|video ad feedback|play video|up next|story continues below"
    "|download|learn more|more info|watch video|watch the video",
    "de": "startseite|suche|schließen|anzeige|werbung|anmelden|zurück|weiter|nach oben"
    "|antworten|weiterlesen|herunterladen|mehr erfahren|video ansehen",
    "es": "inicio|buscar|cerrar|publicidad|anterior|siguiente|responder|seguir leyendo"
    "|descargar|más información|ver vídeo",
    "pt": "início|pesquisar|fechar|publicidade|anterior|próximo|responder|continuar lendo"
    "|baixar|mais informações|ver vídeo",
    "ru": "главная|поиск|закрыть|реклама|войти|наверх|далее|подпись к фото|ответить"
    "|развернуть ветку|читать далее|новости|скачать|подробнее|смотреть видео",
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
    r"(?:©|\bcredit\s*(?:\.\.\.|…)|\bphoto(?:graph)?s?\s*:"
    r"|\bcr[ée]dit(?:s)?(?:\s+photos?)?\s*:|\bfotos?\s*:"
    r"|\bфото\s*:|\bimage\s*:|\(AP Photo|\bgetty images|/\s*(?:AFP|AP|Reuters|EPA|SIPA"
    r"|dpa|MAXPPP|ANP|TASS|ТАСС|РИА Новости)\b)"
    r"|(?-i:[A-Z][\w'-]+ [A-Z][\w'-]+ ?/ ?[A-Z][\w.&-]+(?: [A-Z][\w.&-]+)*"
    r"(?: ?/ ?[A-Z][\w.&-]+)*)\)?\.?$"
    r"|\s[-–—]\s?(?-i:[A-Z]\.(?:\s?[A-Z]\.)?\s?[A-Z][\w'-]+)$"
    r"|\b(?:фото|photo|foto)\s+(?-i:[A-ZА-ЯЁ][\w'-]+(?:\s+[A-ZА-ЯЁ][\w'-]+)+)\.?$"
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
    r"|^\"[\w-]+\"\s*:|_{10,}|(?:\\u[0-9a-f]{4}){2}|^\W*:\s*(?:false|true|null)\W*$"
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
_NEWSLETTER_RE = _regex(list(NEWSLETTER_TOPIC.values()))
_NEWSLETTER_OFFER_RE = _regex(list(NEWSLETTER_OFFER.values()))
_IMPERATIVE_RE = _regex(list(IMPERATIVES.values()))
_APP_RE = _regex(list(APP_TOPIC.values()))
_APP_OFFER_RE = _regex(list(APP_OFFER.values()))
_ADVERTISING_RE = re.compile(rf"\b(?:{'|'.join(ADVERTISING.values())})\b", re.IGNORECASE)
_AUDIO_RE = _regex(list(AUDIO.values()))
_TRANSCRIPT_RE = _regex(list(TRANSCRIPT.values()))
_WIRE_RE = _regex(list(WIRE.values()))
_APPEAL_RE = _regex(list(APPEAL.values()))
_EMBED_RE = _regex(list(EMBED.values()))
_BIO_MARKERS_RE = _regex(list(BIO_MARKERS.values()))
_ROLES = "|".join(BIO_ROLES.values())
# "Name Surname is a reporter …", "Name Surname, journaliste …", "Rédacteur en chef de …".
_BIO_RE = re.compile(
    rf"^(?P<names>[^,.:;]{{3,60}}?)(?:\s+(?:is|was|est|ist|es|é|является|—|–|-)\s+)"
    rf"(?:\S+\s+){{0,5}}?(?:{_ROLES})\b|^(?:{_ROLES})\b",
    re.IGNORECASE,
)
# The rules' case-insensitive regexes, searched in the folded block (``index.ignorecase``):
# the same matches as with re.IGNORECASE, three to six times faster.
_RULE_TOPIC = compile_ignorecase(_TOPIC_RE.pattern)
_RULE_CONTEXT = compile_ignorecase(_CONTEXT_RE.pattern)
_RULE_FOLLOW = compile_ignorecase(_FOLLOW_RE.pattern)
_RULE_SHARE = compile_ignorecase(_SHARE_RE.pattern)
_RULE_SIGNUP = compile_ignorecase(_SIGNUP_RE.pattern)
_RULE_PAYWALL = compile_ignorecase(_PAYWALL_RE.pattern)
_RULE_NEWSLETTER = compile_ignorecase(_NEWSLETTER_RE.pattern)
_RULE_NEWSLETTER_OFFER = compile_ignorecase(_NEWSLETTER_OFFER_RE.pattern)
_RULE_IMPERATIVE = compile_ignorecase(_IMPERATIVE_RE.pattern)
_RULE_APP = compile_ignorecase(_APP_RE.pattern)
_RULE_APP_OFFER = compile_ignorecase(_APP_OFFER_RE.pattern)
_RULE_ADVERTISING = compile_ignorecase(_ADVERTISING_RE.pattern)
_RULE_AUDIO = compile_ignorecase(_AUDIO_RE.pattern)
_RULE_TRANSCRIPT = compile_ignorecase(_TRANSCRIPT_RE.pattern)
_RULE_WIRE = compile_ignorecase(_WIRE_RE.pattern)
_RULE_APPEAL = compile_ignorecase(_APPEAL_RE.pattern)
_RULE_EMBED = compile_ignorecase(_EMBED_RE.pattern)
_RULE_BIO_MARKERS = compile_ignorecase(_BIO_MARKERS_RE.pattern)
_COUNTER_SET = _phrases(COUNTER_WORDS)
_COUNTER_RE = re.compile(rf"(?:{_alternatives(COUNTER_WORDS)})(?!\w)", re.IGNORECASE)
_RULE_COUNTER = compile_ignorecase(_COUNTER_RE.pattern)
_UI_SET = _phrases(UI_LINES)
_UI_PATTERNS_RE = re.compile(UI_PATTERNS, re.IGNORECASE)
_TAGS_RE = re.compile(TAGS, re.IGNORECASE)
_COMMENTS_RE = re.compile(rf"(?:{'|'.join(COMMENTS.values())})$", re.IGNORECASE)
_BYLINE_RE = re.compile(rf"^(?:{_alternatives(BYLINE_MARKERS)})\s*:?\s+(?=\w)", re.IGNORECASE)
_CONNECTORS = frozenset(NAME_CONNECTORS.split("|"))
FOOTER_RE = re.compile(FOOTER, re.IGNORECASE)
_ARTEFACT_RE = re.compile(ARTEFACTS, re.IGNORECASE)
_RULE_FOOTER = compile_ignorecase(FOOTER)
_ARTEFACT_INSIDE = "[%_\\"  # what the patterns not anchored at the start need (a test checks)
_CAPTION_RE = re.compile(CAPTION_CREDIT, re.IGNORECASE)
_GLUED_RE = re.compile(r"(?<=[a-zà-ÿа-яё])(?=[A-ZÀ-ÝА-ЯЁ][a-zà-ÿа-яё])")
# Where the names of a byline end: a digit, or punctuation that opens an outlet or a date.
_NAMES_END_RE = re.compile(r"[\d,|/•·–—(]")
SEPARATORS = ":>»›|–—-.…"
STRIP_UI = " .,:!…|>-–—·•*"
SHORT = 6  # menu items and buttons are at most this many words long
_MAX_STAMP_WORDS = 20
_DATE_OPENING_CHARS = 24  # a stamp's date opens it ("October 14, 2023 / …")
_MAX_BYLINE_WORDS = 12
_MAX_OUTLET_WORDS = 4  # "By X, dpa", "Por Y, da Folha"
_MAX_HEADING_WORDS = 6  # "more stories" headings
_MAX_PROMPT_WORDS = 30  # newsletter and paywall boxes
_MAX_LINK_WORDS = 5  # items of a breadcrumb or link bar
_MAX_CAPTION_WORDS, _CAPTION_TAIL_WORDS = 60, 14
_MAX_SLASH_CAPTION_WORDS = 20
_MAX_PROMO_WORDS = 25  # newsletter and app promotions
_MAX_LABEL_WORDS = 8  # advertising labels
_MAX_BIO_WORDS = 45
_MIN_HEADLINE_WORDS, _MAX_HEADLINE_WORDS = 3, 20
MIN_HEADLINE_RUN = 3  # headlines in a row that make a list of other articles
_MIN_PLAIN_HEADLINES = 2  # of them, not a question or an exclamation
_CLOSING = " \"'»”’)]"

# ---------------------------------------------------------------------------------------------
# Predicates.
# ---------------------------------------------------------------------------------------------


class _Text:
    """One block as the rules read it; its word count and folded form are computed once."""

    __slots__ = ("_folded", "_words", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: str | None = None
        self._words = -1

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    @property
    def words(self) -> int:
        if self._words < 0:
            self._words = count_words(self.text)
        return self._words

    def search(self, regex: IgnoreCase) -> re.Match[str] | None:
        return regex.search(self.text, self.folded if regex.folded else "")

    def match(self, regex: IgnoreCase) -> re.Match[str] | None:
        return regex.match(self.text, self.folded if regex.folded else "")


def key(text: str) -> str:
    """``text`` folded for comparing labels: case, spacing and end punctuation ignored."""
    return " ".join(text.casefold().strip(STRIP_UI).split())


def is_artefact(line: str) -> bool:
    """Whether ``line`` is debris of a rendering (a form field, a JSON fragment, an iframe)."""
    return _is_artefact(line.strip())


def _is_artefact(text: str) -> bool:
    # Only a few of the patterns may match past the start of a line, and each needs one of
    # these characters or "skip to": without them, trying the start is enough.
    if any(ch in text for ch in _ARTEFACT_INSIDE) or "skip to" in fold(text):
        return bool(_ARTEFACT_RE.search(text))
    return bool(_ARTEFACT_RE.match(text))


def is_end_heading(text: str) -> bool:
    """Whether ``text`` is a "more stories" heading ("More from CNN Business" too) or opens the
    comments ("Vos commentaires", "Jean dit :"): what follows is not the article."""
    if count_words(text) > _MAX_HEADING_WORDS:
        return False
    return bool(_END_RE.match(key(text)) or _COMMENTS_RE.fullmatch(text.strip()))


def opens_comments(text: str) -> bool:
    """Whether ``text`` opens the comments ("Vos commentaires", "67 комментариев", "Jean dit
    :"): never a box inside the article."""
    return count_words(text) <= _MAX_HEADING_WORDS and bool(_COMMENTS_RE.fullmatch(text.strip()))


def _is_consent(block: _Text) -> bool:
    if _CONSENT_RE.search(block.text.casefold()):
        return True
    short = block.words <= SHORT  # a menu item: "Gestion des cookies", "Privacy policy"
    return bool(block.search(_RULE_TOPIC)) and (short or bool(block.search(_RULE_CONTEXT)))


def _is_counter(block: _Text) -> bool:
    if block.words > 12:
        return False
    text, pieces, end = block.text, [], 0
    for match in _RULE_COUNTER.finditer(text, block.folded if _RULE_COUNTER.folded else ""):
        pieces += [text[end : match.start()], " "]
        end = match.end()
    if not pieces:  # no network nor counter word (each is a word: a match changes the text)
        return False
    rest = "".join([*pieces, text[end:]])
    return all(_counter_filler(t) for t in rest.split())


def _counter_filler(token: str) -> bool:
    """A number, a handle or a connector, what a counter or a list of networks holds besides
    the networks' names ("@AJEPodcasts on Twitter, Instagram and YouTube")."""
    token = token.strip(STRIP_UI + ",()")
    return not token or token.isdigit() or token[0] == "@" or token in _CONNECTORS


def _is_newsletter(block: _Text) -> bool:
    """A newsletter promotion: a label ("Free weekly newsletter"), or a sentence that speaks to
    the reader ("… delivered to your inbox"); a sentence about a newsletter is reporting."""
    if block.words > _MAX_PROMO_WORDS:
        return False
    if not (block.search(_RULE_NEWSLETTER) and block.search(_RULE_NEWSLETTER_OFFER)):
        return False
    sentence = block.text.rstrip(_CLOSING)[-1:] in ".!?"
    return not sentence or bool(block.search(_RULE_CONTEXT) or block.search(_RULE_IMPERATIVE))


def _is_app(block: _Text) -> bool:
    if block.words > _MAX_PROMO_WORDS:
        return False
    return bool(block.search(_RULE_APP) and block.search(_RULE_APP_OFFER))


def _is_advertising(block: _Text) -> bool:
    """An advertising label: a short block that is one, or mostly one ("Publicité", "Sponsored
    content", "Story continues below advertisement", "Купить рекламу")."""
    if block.words > _MAX_LABEL_WORDS:
        return False
    match = block.search(_RULE_ADVERTISING)  # folding keeps lengths: the same span
    if match is None:
        return False
    text = block.text
    unpunctuated = text.rstrip(_CLOSING)[-1:] not in ".!?"
    return unpunctuated or len(match.group()) >= 0.4 * len(text.strip())


def _is_bio(block: _Text) -> bool:
    """An author's biography or "more by" line at the foot of an article."""
    if block.words > _MAX_BIO_WORDS:
        return False
    if block.search(_RULE_BIO_MARKERS):
        return True
    text = block.text
    match = _BIO_RE.match(text)
    if match is None:
        return False
    names = match.group("names")
    return names is None or is_name_list(names)


def _is_ui(block: _Text) -> bool:
    text = block.text
    label = key(text)
    return label in _UI_SET or bool(_UI_PATTERNS_RE.match(label)) or not any(map(str.isalpha, text))


def is_stamp(text: str) -> bool:
    """A publication or update stamp ("Publié le 08/03/22 à 15h29", "AFP, publié le …",
    "Updated Feb. 28, 2022, 5:00 AM UTC"), or a date standing alone."""
    if count_words(text) > _MAX_STAMP_WORDS:  # ungluing only adds words: no need to unglue
        return False
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
    rest = strip_dates(text).strip(STRIP_UI + ",/()")
    if count_words(rest) <= (SHORT if match else 1):
        return True
    # A date and time, then the outlet: "October 14, 2023 / 8:33 AM EDT / CBS News".
    outlet = " ".join(re.sub(r"[/|•·–—,()]", " ", rest).split())
    opens = find_date(text[:_DATE_OPENING_CHARS]) is not None
    return dated and opens and bool(TIME_RE.search(text)) and _is_outlet(outlet)


def _is_outlet(text: str) -> bool:
    return count_words(text) <= _MAX_OUTLET_WORDS and is_name_list(text)


def _unglue(text: str) -> str:
    """Words that lynx glued together split again ("PackUpdated" → "Pack Updated")."""
    return _GLUED_RE.sub(" ", text)


def is_byline(text: str) -> bool:
    """A byline: "Par Mathilde Cousin", "By Steven Lee Myers and Nico Grant", "Автор: Иван
    Петров", maybe followed by an outlet and a stamp ("By X, New York Times, Updated …")."""
    if count_words(text) > _MAX_BYLINE_WORDS + _MAX_STAMP_WORDS:  # as in ``is_stamp``
        return False
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


def _is_breadcrumb(block: _Text) -> bool:
    text = block.text
    if _TAGS_RE.match(text) and block.words <= _MAX_PROMPT_WORDS:
        return True  # "Tags : immigration, le crayon"
    parts = [p.strip() for p in re.split(rf"[{re.escape(BREADCRUMB_SEPARATORS)}]+", text)]
    parts = [p for p in parts if p]
    if len(parts) < 3 or text.rstrip()[-1:] in ".!?。":
        return False
    return all(count_words(p) <= _MAX_LINK_WORDS for p in parts)


def is_caption(text: str) -> bool:
    """A photo caption: a short text whose last words credit a photographer or agency, or a
    short line "what it shows / who made it" ("Флаер акции / Организатор акции Елена Колбасникова",
    "Le port au matin / Jean Dupont")."""
    words = text.split()
    if len(words) > _MAX_CAPTION_WORDS:
        return False
    if _CAPTION_RE.search(" ".join(words[-_CAPTION_TAIL_WORDS:])):
        return True
    shown, _sep, credit = text.rpartition(" / ")
    if not shown or len(words) > _MAX_SLASH_CAPTION_WORDS or text.rstrip()[-1:] in ".!?:":
        return False
    # The credit names someone or something: it ends with a name ("Организатор акции Елена
    # Колбасникова", "YouTube / Голос Германии"), not with a phrase ("Israël / Hamas à son tour").
    words = credit.split()
    return len(words) <= _MAX_OUTLET_WORDS + 2 and is_name_list(" ".join(words[-2:]))


# Boilerplate rules in the order they are tried; the name says what each removes.
_BOILERPLATE: tuple[tuple[str, Callable[[_Text], bool]], ...] = (
    ("artefact", lambda b: _is_artefact(b.text)),  # lynx rendering debris
    ("ui", _is_ui),  # lone button/menu/ad labels ("OK"), reading times, lines without letters
    ("consent", _is_consent),  # cookie and consent banners, privacy-policy links
    ("paywall", lambda b: b.words <= _MAX_PROMPT_WORDS and bool(b.search(_RULE_PAYWALL))),
    ("follow", lambda b: b.words <= 15 and bool(b.match(_RULE_FOLLOW))),
    ("share", lambda b: b.words <= 8 and bool(b.match(_RULE_SHARE))),
    ("signup", lambda b: b.words <= _MAX_PROMPT_WORDS and bool(b.search(_RULE_SIGNUP))),
    ("newsletter", _is_newsletter),  # "Free weekly newsletter", "Recevez nos news tous les jours"
    ("app", _is_app),  # "Download our app", "Téléchargez l'application"
    ("advertising", _is_advertising),  # "Publicité", "Story continues below advertisement"
    ("audio", lambda b: b.words <= 30 and bool(b.search(_RULE_AUDIO))),  # podcasts
    # "This is a rush transcript", "Transcription générée automatiquement"
    ("transcript", lambda b: b.words <= 40 and bool(b.search(_RULE_TRANSCRIPT))),
    ("wire", lambda b: b.words <= 40 and bool(b.search(_RULE_WIRE))),  # agencies
    ("appeal", lambda b: b.words <= 40 and bool(b.search(_RULE_APPEAL))),  # gifts
    ("embed", lambda b: b.words <= 25 and bool(b.search(_RULE_EMBED))),  # posts
    ("counter", _is_counter),  # share and comment counters, social network names
    ("stamp", lambda b: is_stamp(b.text)),  # "Publié le … Mis à jour …", a date alone
    ("byline", lambda b: is_byline(b.text)),  # "Par X", "By X and Y"
    ("bio", _is_bio),  # "X is a reporter covering …", "More about X", "A version … in print"
    ("nav", _is_breadcrumb),  # "Accueil > Monde > Europe", "About | Contact", "Tags : X, Y"
    ("footer", lambda b: b.words <= 60 and bool(b.search(_RULE_FOOTER))),
    ("caption", lambda b: is_caption(b.text)),  # "… Photograph: Yui Mok/PA"
)
RULES = tuple(name for name, _matches in _BOILERPLATE)


def boilerplate_rule(text: str) -> str | None:
    """The name of the first boilerplate rule ``text`` (one block) matches, else None."""
    block = _Text(text)
    for name, matches in _BOILERPLATE:
        if matches(block):
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


def is_headline(text: str) -> bool:
    """A line that reads as another article's title: 3 to 20 words, opening with a capital, a
    digit or a quote, and not ending as a sentence does ("…" of a cut title, "?" and "!" may)."""
    words = count_words(text)
    if not _MIN_HEADLINE_WORDS <= words <= _MAX_HEADLINE_WORDS:
        return False
    first = text.lstrip(" \"'«“‘([")[:1]
    if not first or first.islower():
        return False
    end = text.rstrip(_CLOSING)
    if end.endswith(("...", "…")):
        return True  # a title cut to fit its box
    return end[-1:] not in ".:;,。"


def headline_runs(texts: list[str]) -> list[tuple[int, int]]:
    """Runs of other articles' headlines among ``texts`` (blocks in page order), as (first,
    last) indices: at least ``MIN_HEADLINE_RUN`` headlines in a row, with nothing between them
    but short labels (a section name, "International"). A list the text announces with a colon
    is the article's own list, not a run; nor are lines that all ask or exclaim (an interview's
    turns): at least two of a run's headlines end without "?" or "!"."""
    runs: list[tuple[int, int]] = []
    start, count, plain, last, listed = None, 0, 0, -1, False
    for i, text in enumerate([*texts, ""]):  # the empty sentinel closes the last run
        if i < len(texts) and is_headline(text):
            if start is None and not listed:
                listed = i > 0 and texts[i - 1].rstrip().endswith(":")
                start, count, plain = (None, 0, 0) if listed else (i, 0, 0)
            if not listed:
                count, last = count + 1, i
                plain += text.rstrip(_CLOSING)[-1:] not in "?!"
            continue
        if i < len(texts) and _is_label(text) and (start is not None or listed):
            continue
        if start is not None and count >= MIN_HEADLINE_RUN and plain >= _MIN_PLAIN_HEADLINES:
            runs.append((start, last))
        start, count, plain, listed = None, 0, 0, False
    return runs


def _is_label(text: str) -> bool:
    """A section label between headlines ("International", "Opinion")."""
    return 0 < count_words(text) < _MIN_HEADLINE_WORDS and text.rstrip()[-1:] not in ".:"


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
