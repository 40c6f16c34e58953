"""The gender that common first names say, for the pronouns of quote attribution.

"„…“, sagte sie" after "Krüger" and "Hoffmann" is Krüger when the article wrote "Anna
Krüger": a title ("Frau", "posłanka") said it before, and now so does a first name. Only
names in the form a subject takes (Polish "Marka" is Marek's genitive, which a rule on endings
would read as a woman's name), and only names that are one gender in the article's language
("Andrea", "Simone" and "Nicola" are men in Italian, women elsewhere).
"""

from __future__ import annotations

_MALE = """
    aaron adam adrian ahmed alain alan albert alberto aleksander aleksandr alessandro
    alexander alexandre alexei alexej alexey alfred ali andreas andrei andrej andrew andrey
    andrzej angelo anthony antoine anton antoni antonio armin arnaud arthur artur barack
    bartosz benjamin benoît bernard bernd bill björn bogdan boris borys brian bruno carl
    carlo carlos cem charles christian christoph christophe christopher claudio clemens
    cristiano damian daniel dariusz david dennis denis dieter dmitri dmitrij dmitriy dmitry
    donald edward emmanuel enrico eric erich erik ernst fabio fabrizio federico felix
    filippo florian francesco franck françois frank franz frédéric friedrich gabriel
    georg george georges gerald gerhard gianluca giorgio giovanni giulio giuseppe gregor
    grzegorz guido günter günther hans harald heiko heinrich heinz helmut hendrik henri
    henry henryk horst hubert hugo ignazio igor ivan jacek jack jacques jakub james jan
    janusz jarosław jason javier jean-luc jean-marc jean-pierre jean-yves jens jeremy
    jerzy jim joachim joe johannes john jonathan josef joseph józef juan julian
    jürgen kamil karl karol kazimierz keir kevin klaus konrad konstantin krzysztof kurt
    lars laurent lech leonid leszek lorenzo louis ludwig luigi lukas łukasz maciej
    manfred manuel marc marcel marcin marco marek mario mariusz mark markus martin massimo
    mateusz matteo matthew matthias maurizio max maximilian michael michał michel
    miguel mike mikhail mikołaj nicolas norbert olaf oleg olivier oskar pascal patrick
    paul paolo paweł peter petr petro philip philipp philippe piotr pierre radosław
    rafał rainer ralf ramzan raphaël reinhard rémi ricardo richard robert roberto
    rolf roman romano ron ronald rudolf ryszard salvatore sebastian sergei sergej
    sergey sergio sigmar silvio stanisław stefan stefano stephan stephen steve steven
    sven szymon tadeusz theo thierry thomas thorsten tim tobias tom tomasz tommaso
    torsten tucker ulrich uwe valerio vincent vincenzo viktor vitali vitaliy vladimir
    volker volodymyr walter werner wiktor willi william winfried witold władysław
    wojciech wolfgang wolodymyr xavier yannick yves zbigniew zdzisław
    bartłomiej bertrand bodo cédric damien davide dawid detlef didier dirk édouard ettore
    fabien fausto franco gaël gerd gianfranco gianni gilles guillaume gunnar hannes hervé
    holger ingo jérôme jochen jonas jörg julien kacper kai karim karsten leon lionel loïc
    lothar malte marcello mathieu maxime moritz niklas nils patryk pierluigi pietro
    przemysław raffaele renato renaud riccardo romain rüdiger sascha sébastien sławomir
    steffen stéphane till timo umberto vittorio waldemar
    александр алексей анатолий андрей антон аркадий артём артем борис вадим валерий
    василий виктор виталий владимир владислав всеволод вячеслав геннадий георгий глеб
    григорий денис джо дмитрий дональд евгений егор иван игорь илья иосиф кирилл
    константин лев леонид максим марат марк матвей михаил никита николай олег павел
    петр пётр петро рамзан роман ростислав руслан святослав семен семён сергей
    станислав степан тимур федор фёдор эдуард эммануэль юрий яков ярослав
"""

_FEMALE = """
    agata agnieszka aleksandra alessandra alexandra alice alicja alina amy angela angelika
    angelina anna annalena anne annette antje audrey barbara beata beatrice beatrix
    bianca bożena brigitte carla carola caroline catherine caterina cécile chantal charlotte
    chiara christiane christina christine claire clara claudia cristina daniela danuta
    doris dorota elena eleonora elisa elisabeth elisabetta elizabeth elżbieta emily emma
    ewa eva federica francesca françoise franziska gabriela giorgia giulia grażyna halina
    hanna hannah heidi heike helen helena hélène hillary ilaria ilhan ines irena irene irmgard
    irina iwona izabela jennifer jessica joanna jolanta judith julia julie justyna kamala
    karin karolina katarina katarzyna katharina kathrin katja kristina krystyna laura
    lea lidia linda lisa liz louise lucia lucie luisa magdalena małgorzata
    manuela margaret margarete margherita maria marianne marie marina marine marion marta
    martha martina melania melanie michaela michelle michèle monika monica monique nadia
    nadine nancy natalia natalie nathalie nicole nina olga paola patricia paula pauline
    petra rachel rashida rebecca renata renate ricarda rita roberta rosa sabine sahra
    samantha sandra sara sarah ségolène serena silvia simona sofia sophia sophie stefania
    stephanie stéphanie susanne suzanne svetlana swetlana sylvie sylwia tatiana tatjana
    teresa theresa ulrike ursula urszula valentina valeria valérie vera veronika victoria
    viktoria wanda weronika yvonne zofia zuzanna
    agnès alessia amélie aneta anja anke antonella aurélie birgit bärbel britta dagmar
    élise élodie elke émilie ewelina gabriella giada gisela greta helga ilona ingrid
    isabelle jana janine jasmin johanna jutta katrin kerstin kinga klaudia lena leonie
    maike marlene marzena mathilde paulina raffaella rossella saskia silke simonetta
    sonja stefanie svenja tanja
    алина алла алёна алена александра анастасия анна валентина валерия вера вероника
    виктория галина дарья екатерина елена елизавета жанна зоя инна ирина кристина
    ксения лариса лидия любовь людмила майя маргарита мария марина надежда наталия
    наталья нина оксана ольга полина светлана софья тамара татьяна эльвира юлия яна
"""

_GENDER = {**dict.fromkeys(_MALE.split(), "m"), **dict.fromkeys(_FEMALE.split(), "f")}

# Names whose gender the language decides: None where it is a name of both.
_BY_LANGUAGE = {
    "it": {
        "andrea": "m",
        "nicola": "m",
        "simone": "m",
        "gabriele": "m",
        "luca": "m",
        "michele": "m",
        "daniele": "m",
        "emanuele": "m",
        "mattia": "m",
        "elia": "m",
    },
    "fr": {
        "jean": "m",
        "simone": "f",
        "andrea": "f",
        "laurence": "f",
        "dominique": None,
        "camille": None,
    },
    "de": {"andrea": "f", "simone": "f", "gabriele": "f", "nicola": "f", "jean": None},
    "en": {"andrea": "f", "nicola": "f", "laurence": "m", "jean": None},
    "pl": {"jan": "m"},
}


def first_name_gender(name: str, language: str) -> str | None:
    """ "m" or "f" for a first name in its dictionary form ("Anna", "Сергей"), else None."""
    key = name.lower()
    by_language = _BY_LANGUAGE.get(language, {})
    return by_language[key] if key in by_language else _GENDER.get(key)
