"""Word lists for synthetic demo data: common Norwegian names and place-like words.

Every person in the demo data set is made up by combining these lists at random; none is a real
doctor. The names are among the most common in Norway (SSB's name statistics), so that combinations
look ordinary and do not point at anyone in particular.
"""

FEMALE_FIRST_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg", "Hilde", "Anna",
    "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth", "Kristin", "Silje", "Ingeborg",
    "Camilla", "Hanne", "Tone", "Ragnhild", "Heidi", "Julie", "Karin", "Emma", "Nora", "Sara", "Thea",
    "Ingvild", "Maren", "Kristine", "Marte", "Guro", "Sigrid", "Tuva", "Hege", "Linn", "Mari", "Siri",
    "Helene", "Line", "Stine", "Lene", "Vilde", "Synnøve", "Åse", "Gunn", "Tonje", "Birgitte", "Fatima",
    "Amina", "Aisha", "Johanne", "Martine", "Eline", "Ane", "Malin", "Cecilie", "Mona",
)

MALE_FIRST_NAMES = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans", "Geir", "Tor",
    "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "John", "Anders", "Rune", "Trond", "Tore", "Jon",
    "Harald", "Magnus", "Espen", "Eirik", "Kristian", "Daniel", "Jonas", "Henrik", "Fredrik", "Even",
    "Sindre", "Håkon", "Sigurd", "Vegard", "Øyvind", "Stian", "Torbjørn", "Halvor", "Mathias", "Sander",
    "Petter", "Aleksander", "Emil", "Ola", "Nils", "Mohammad", "Ali", "Ahmed", "Jørgen", "Sverre", "Eivind",
    "Audun", "Gaute", "Ivar", "Steinar",
)

LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
    "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen",
    "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Jakobsen", "Moen",
    "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen",
    "Bakken", "Kristoffersen", "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde",
    "Solheim", "Berge", "Moe", "Nygård", "Bakke", "Kristensen", "Fredriksen", "Holm", "Lien", "Hauge",
    "Christensen", "Andresen", "Nielsen", "Knudsen", "Evensen", "Sæther", "Aas", "Myhre", "Hanssen",
    "Ahmed", "Haugland", "Thomassen", "Sivertsen", "Simonsen", "Danielsen", "Berntsen", "Sandvik",
    "Rønning", "Arnesen", "Antonsen", "Næss", "Vik", "Haug", "Ellingsen", "Thorsen", "Edvardsen",
    "Birkeland", "Isaksen", "Gulbrandsen", "Ruud", "Aasen", "Strøm", "Myklebust", "Tangen", "Ødegård",
    "Eliassen", "Helland", "Bøe", "Jenssen", "Aune", "Mikkelsen", "Tveit", "Brekke", "Abrahamsen", "Madsen",
    "Khan", "Hussain", "Tran", "Hovland", "Sunde", "Fossum", "Nordby", "Rustad", "Lindberg", "Vold",
)

# Parts of GP office names ("Torget legesenter", "Legegruppen Fjordsiden").
OFFICE_PLACES = (
    "Sentrum", "Torget", "Fjordsiden", "Sjøsiden", "Kirkebakken", "Stasjonen", "Elvebakken", "Nordbyen",
    "Sørbyen", "Brygga", "Parken", "Bakkehaugen", "Solsiden", "Havna", "Storgata", "Fjellsiden",
    "Vestsiden", "Østsiden", "Åsen", "Dalen", "Moen", "Strand", "Lia", "Tunet", "Byporten", "Kvartalet",
    "Kaien", "Kilden", "Høyden", "Bryggen", "Sletta", "Jordet", "Furulund", "Skogen", "Bekkestua", "Vika",
    "Holmen", "Tangen", "Neset", "Eikeli", "Bjørkelia", "Lindeberg", "Granly", "Rosenborg", "Solheim",
)
OFFICE_SUFFIXES = ("legesenter", "legekontor", "legesenter", "legekontor", "legegruppe", "helsehus")

STREETS = (
    "Storgata", "Kirkegata", "Skolegata", "Torggata", "Jernbanegata", "Strandveien", "Parkveien", "Sjøgata",
    "Kongens gate", "Dronningens gate", "Fjordveien", "Elvegata", "Bakkeveien", "Industriveien",
    "Rådhusgata", "Prestegårdsveien", "Sentrumsveien", "Havnegata", "Nygata", "Lille Torg",
)

# Where hospital service (institusjonstjeneste) is served.
HOSPITAL_PLACES = (
    "Medisinsk klinikk", "Psykiatrisk klinikk", "Barne- og ungdomsklinikken", "Kirurgisk klinikk",
    "Akuttmottaket", "Geriatrisk avdeling", "Distriktspsykiatrisk senter", "Lungeavdelingen",
    "Nevrologisk avdeling", "Kvinneklinikken",
)
OTHER_MUNICIPAL_PLACES = ("Sykehjem", "Legevakt", "Helsestasjon", "Helsehus", "Fengselshelsetjenesten")
COMMUNITY_MEDICINE_PLACES = ("Kommuneoverlegen", "Folkehelsekontoret", "Smittevernkontoret", "Helse og omsorg")
