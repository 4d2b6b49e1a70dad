"""Hand-written article texts for the test sites: long enough, varied and clean, like pages a corpus keeps."""

ARTICLES = {
    "rivers": [
        "Rivers have shaped the places where people chose to live for as long as there have been settlements.",
        "A river brings fresh water for drinking and farming, and it carries boats that move goods far more "
        "cheaply than carts on a muddy road ever could.",
        "The floods that come with the spring thaw leave a layer of silt on the fields, which is why the soil "
        "along the great river valleys has been farmed for thousands of years without losing its strength.",
        "Engineers later learned to tame these floods with levees and dams, but every barrier has a cost: the "
        "silt that once fed the fields now settles behind the dam, and the delta downstream slowly shrinks.",
        "Today many cities are trying to give their rivers back some room, opening buried streams and letting "
        "wetlands absorb the water that concrete channels used to rush towards the sea.",
        "Walking along such a restored bank in the evening, it is easy to forget how recently the water ran "
        "in a grey pipe under a car park.",
    ],
    "bread": [
        "Baking bread at home asks for little more than flour, water, salt and a great deal of patience.",
        "The yeast needs time to ferment the dough, and during those slow hours the gluten strands relax and "
        "line up so that the loaf can rise without tearing.",
        "Many bakers now prefer a sourdough starter, a living culture of wild yeast and bacteria that they "
        "feed every day with fresh flour and keep in a jar on the kitchen counter.",
        "A starter gives the bread a gentle sourness and a crust that stays crisp for days, but it is also "
        "less predictable than a packet of dried yeast, especially in a cold house during the winter.",
        "The most common mistake is to bake too early, before the dough has doubled in size, which gives a "
        "dense crumb with a few large holes near the top.",
        "With practice the hands learn what the recipe cannot say, and the smell of the first good loaf "
        "makes every failed attempt feel worthwhile.",
    ],
    "lighthouses": [
        "Before satellites and radio beacons, a lighthouse was often the only thing that stood between a ship "
        "and the rocks on a dark and stormy night.",
        "Each light had its own pattern of flashes, so that a navigator who counted the seconds between them "
        "could tell exactly which stretch of coast lay ahead of the bow.",
        "The keepers who tended these lights lived lonely lives on islands and cliffs, trimming the wicks, "
        "polishing the great lenses and writing the weather into a logbook every few hours.",
        "The glass lenses designed in France in the nineteenth century bent the light of a single flame into "
        "a beam that could be seen more than twenty miles out at sea.",
        "Most lighthouses are automatic now, and some have been turned into museums or small hotels where "
        "visitors climb the spiral stairs to look out over the water.",
        "Even so, sailors still speak of the relief of seeing a familiar light appear on the horizon at the "
        "end of a long and difficult passage.",
    ],
}

FRENCH_ARTICLE = [
    "Les rivières ont façonné les lieux où les hommes ont choisi de vivre depuis les premiers villages.",
    "Une rivière apporte de l'eau douce pour boire et pour cultiver, et elle porte des bateaux qui "
    "transportent les marchandises bien plus facilement que les charrettes sur une route boueuse.",
    "Les crues du printemps laissent sur les champs une couche de limon, et c'est pourquoi les terres des "
    "grandes vallées sont cultivées depuis des milliers d'années sans perdre leur fertilité.",
    "Aujourd'hui, de nombreuses villes rendent un peu de place à leurs rivières et rouvrent les ruisseaux "
    "qui coulaient autrefois sous les parkings.",
]
