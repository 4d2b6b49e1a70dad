"""Hand-written control texts of the obscenity rule: obscene ones it must drop and clean ones it must keep.

The benchmark (`make benchmark-safety`) measures the rule on these too, beside the AEB news articles.
"""

OBSCENE = {
    "porn spam": (
        "Hot teen porn videos free. Watch the best xxx porn, hardcore sex and horny milf clips. "
        "Busty camgirl shows her tits and pussy live on sexcam, then a blowjob and a cumshot. "
        "New porno every day: gangbang, threesome, anal, bukkake. Click here for more free porn."
    ),
    "abusive rant": (
        "You fucking idiot, this is the shittiest bullshit I have ever read. Go fuck yourself, asshole. "
        "What a bitch of an article, written by a bastard who knows nothing. Shit, shit, shit."
    ),
    "french spam": (
        "Vidéo porno gratuite : une salope et une pute dans un film de cul. Baiser, bite et enculer "
        "tous les jours, les meilleures vidéos de cul du web."
    ),
}

CLEAN = {
    "biology lesson": (
        "Sexual reproduction mixes the genes of two parents. In most animals the sex of an offspring is set by "
        "its chromosomes: in mammals, an embryo with two X chromosomes develops as a female and one with an X "
        "and a Y as a male. Early in development the gonads are the same in both sexes; a gene on the Y "
        "chromosome turns them into testes, which then make the hormones that shape the rest of the body. "
        "Biologists call the differences between males and females that follow sexual dimorphism: in many "
        "birds the males are brighter, in many fish and insects the females are larger. Asexual reproduction, "
        "by contrast, makes offspring that are copies of one parent, as in bacteria, many plants and some "
        "lizards. Each way has its costs: finding a mate takes time and energy, while a population of clones "
        "adapts slowly to a changing world and to new diseases. That trade-off is one of the oldest questions "
        "of evolutionary biology, and it is still studied in the field and in the laboratory today."
    ),
    "place name": (
        "Scunthorpe is a town in North Lincolnshire, England, known for its steel works. Visitors assess the "
        "town's parks and the Essex road that passes through the cocktail district of Middlesex."
    ),
    "news on a trial": (
        "The court heard that the defendant was charged with rape in 2019. The jury was told the case turned on "
        "text messages sent that night, and the judge reminded jurors that the accused is presumed innocent. "
        "The trial, expected to last three weeks, continues on Monday with evidence from two police officers "
        "and a forensic scientist who examined the defendant's phone and the messages it held."
    ),
}
