"""Shape points of the rail and road links: the towns and stations each line passes, in order.

Each entry: link id -> the named places between its two end nodes, written `Name@CC` (resolved to
GeoNames coordinates by gazetteer.py into waypoints.py). The towns are those the railway or road
runs through, by the authors' reading of the line's course (route descriptions of the lines in
Wikipedia and the fact sheet's chains); no segment of the result may exceed 60 km (build_data.py
checks). Where a line crosses open country without any town for more than 60 km (the Ustyurt and
Karakum deserts, the Kalmyk steppe), INTERPOLATE names the link: build_data.py then adds evenly
spaced points on the great circle between the two named points around the gap and says so in the
link's `source`; those lines run nearly straight there, so the points lie near the track, not on
a surveyed alignment.

Links not listed keep the straight segment between their ends (all under 60 km).
"""

SHAPES = {
    # ---- Azerbaijan ----
    # the main line leaves Baku north-east by the Keşlə yard and turns west to Biləcəri (km 534.2–548.8
    # [DE-BY]: 14.6 km, against 14.1 km drawn by Keşlə and 8.1 km straight)
    "rail-baku-bilajari": ["Keşlə@AZ"],
    "rail-bilajari-alat": ["Lokbatan@AZ", "Sanqaçal@AZ"],
    "road-baku-alat": ["Lokbatan@AZ", "Sanqaçal@AZ"],
            "rail-hajigabul-kurdamir": ["Mughan@AZ"],
    "road-hajigabul-kurdamir": ["Mughan@AZ"],
    "road-kurdamir-yevlakh": ["Ucar@AZ"],
    "rail-yevlakh-ganja": ["Goranboy@AZ"],
    "road-yevlakh-ganja": ["Goranboy@AZ"],
    "rail-sumqayit-xachmaz": ["Gilazi@AZ", "Siyazan@AZ", "Divichibazar@AZ"],
    "road-sumqayit-xachmaz": ["Gilazi@AZ", "Siyazan@AZ", "Divichibazar@AZ"],
    "rail-imishli-horadiz": ["Bahramtapa@AZ", "Orjonikidze@AZ"],
    "road-imishli-horadiz": ["Bahramtapa@AZ", "Orjonikidze@AZ"],
    "rail-horadiz-aghband": ["Jabrayil@AZ", "Mincivan@AZ"],
    "road-horadiz-mincivan": ["Jabrayil@AZ", "Zangilan@AZ"],
    "rail-salyan-lankaran": ["Masally@AZ"],
    "road-salyan-lankaran": ["Masally@AZ"],
    # ---- Georgia ----
    "rail-marabda-tsalka": ["Tetritsqaro@GE"],
    "rail-tsalka-akhalkalaki": ["Ninotsminda@GE"],
    "road-mtskheta-stepantsminda": ["Zhinvali@GE", "Pasanauri@GE", "Gudauri@GE"],
    "rail-mtskheta-khashuri": ["Kaspi@GE", "Gori@GE"],
    "road-mtskheta-khashuri": ["Kaspi@GE", "Gori@GE"],
    "rail-khashuri-samtredia": ["Zestaponi@GE", "Terjola@GE"],
    "road-khashuri-samtredia": ["Zestaponi@GE", "Kutaisi@GE"],
    "rail-samtredia-batumi": ["Lanchkhuti@GE", "Ureki@GE", "Kobuleti@GE"],
    "road-samtredia-batumi": ["Lanchkhuti@GE", "Ureki@GE", "Kobuleti@GE"],
    "road-akhalkalaki-khashuri": ["Akhaltsikhe@GE", "Borjomi@GE"],
    "road-bx-gogavan-tbilisi": ["Tetritsqaro@GE"],
    "rail-bx-psou-sukhumi": ["Gagra@GE", "Bzipi@GE", "Gudauta@GE", "Novyy Afon@GE"],
    # ---- Armenia ----
    "rail-ayrum-alaverdi": ["Mets Ayrum@AM", "Shnogh@AM", "Akhtala@AM"],
    "rail-alaverdi-vanadzor": ["Tumanyan@AM", "Arevatsag@AM", "Vahagni@AM"],
    "rail-vanadzor-gyumri": ["Spitak@AM", "Shirakamut@AM"],
    # the M6 in the Debed gorge: Ayrum and Shnogh (route sheet of BalticCycle 2010: border, Noyemberyan
    # turn-off km 9.4, Ayrum 11.5, Shnogh 20, Akhtala turn-off 25.7, Alaverdi ≈40 net of its detours)
    # 11.5 km from the border to Ayrum fits the road by Haghtanak (11.3 km drawn), not the straight 8.8 km
    "road-bx-bagratashen-alaverdi": ["Haghtanak@AM", "Ayrum@AM", "Shnogh@AM", "Akhtala@AM"],
    # the M6 along the Debed by Tumanyan and Debet, and up the Pambak by Vahagni and Gugark into Vanadzor
    "road-alaverdi-vanadzor": ["Tumanyan@AM", "Debet@AM", "Vahagni@AM", "Gugark@AM"],
    "rail-ijevan-dilijan": ["Haghartsin@AM"],
    "rail-dilijan-atarbekyan": ["Sevan@AM"],
    # the Yerevan–Vanadzor road by its sections named in road reports: Aparan–Nigavan (Shamshyan.com
    # via ru24.pro), Kuchak–Aparan (168.am, 24 Dec 2012)
    "road-vanadzor-yerevan": ["Spitak@AM", "Nigavan@AM", "Aparan@AM", "Kuchak@AM", "Ashtarak@AM"],
    "road-yerevan-maralik": ["Ashtarak@AM", "Talin@AM"],
    # the M2 (Wikipedia 'M2 (Armenia)': by Masis and Artashat; the Tigranashen bend climbs by Paruyr
    # Sevak and Zangakatun; Malishka; the Vorotan pass between Saravan and Gorayk, dangerousroads.org)
    "road-yerevan-ararat": ["Masis@AM", "Artashat@AM"],
    # Goris–Kapan by the Shinuhayr junction, the Tatev turn-off (bavnews.am: queues "from the Shinuhayr
    # junction to Kapan"), drawn at the village
    "road-goris-vorotan": ["Shinuhayr@AM"],
    # from Davit Bek the M2 runs south by Artsvanik and the village of Syunik into Kapan
    "road-davit-bek-kapan": ["Artsvanik@AM", "Syunik@AM"],
    "road-yeraskh-goris": ["Paruyr Sevak@AM", "Zangakatun@AM", "Areni@AM", "Getap@AM", "Yeghegnadzor@AM", "Malishka@AM", "Vayk@AM",
                           "Gorayk@AM", "Angeghakot@AM", "Shaki@AM"],
    # ---- Turkey ----
    "rail-bx-btk-tunnel-kars": ["Çıldır@TR", "Arpaçay@TR"],
    "road-cildir-kars": ["Arpaçay@TR"],
    "rail-horasan-erzurum": ["Köprüköy@TR", "Pasinler@TR"],
    "rail-erzurum-cetinkaya": ["Ilıca@TR", "Aşkale@TR", "Tercan@TR", "Cimin@TR", "Erzincan@TR", "Kemah@TR", "İliç@TR", "Divriği@TR"],
    "rail-ankara-cetinkaya": ["Kırıkkale@TR", "Balışeyh@TR", "Akçakent@TR", "Yerköy@TR", "Şefaatli@TR", "Yenifakılı@TR", "Himmetdede@TR", "Kayseri@TR", "Sarıoğlan@TR", "Gemerek@TR", "Şarkışla@TR", "Kayadibi@TR", "Sivas@TR", "Ulaş@TR", "Kangal@TR"],
    "rail-cetinkaya-tatvan-pier": ["Hekimhan@TR", "Hasançelebi@TR", "Yazıhan@TR", "Malatya@TR", "Battalgazi@TR", "Kuşsarayı@TR", "Baskil@TR", "Hankendi@TR", "Elazığ@TR", "Yarımca@TR", "Palu@TR", "Genç@TR", "Yenisu@TR", "Kızılağaç@TR", "Muş@TR", "Güroymak@TR"],
    "rail-ankara-istanbul": ["Etimesgut@TR", "Polatlı@TR", "Beylikova@TR", "Eskişehir@TR", "Bozüyük@TR", "Bilecik@TR",
                             "Osmaneli@TR", "Pamukova@TR", "Arifiye@TR", "İzmit@TR", "Gebze@TR", "Pendik@TR"],
    "road-ankara-istanbul": ["Kazan@TR", "Kızılcahamam@TR", "Gerede@TR", "Bolu@TR", "Düzce@TR", "Hendek@TR", "Adapazarı@TR", "İzmit@TR", "Gebze@TR"],
    "road-hopa-erzurum": ["Borçka@TR", "Artvin@TR", "Yusufeli@TR", "Tortum@TR"],
    "road-igdir-kars": ["Tuzluca@TR", "Digor@TR"],
    "road-igdir-erzurum": ["Tuzluca@TR", "Kağızman@TR", "Karakurt@TR", "Horasan@TR", "Köprüköy@TR", "Pasinler@TR"],
    "road-kars-erzurum": ["Selim@TR", "Sarıkamış@TR", "Karaurgan@TR", "Horasan@TR", "Köprüköy@TR", "Pasinler@TR"],
    "road-erzurum-ankara": ["Aşkale@TR", "Tercan@TR", "Cimin@TR", "Erzincan@TR", "Çatalarmut@TR", "Refahiye@TR", "İmranlı@TR", "Zara@TR", "Hafik@TR",
                            "Sivas@TR", "Yıldızeli@TR", "Yavu@TR", "Akdağmadeni@TR", "Saraykent@TR", "Sorgun@TR", "Yozgat@TR", "Yerköy@TR", "Akçakent@TR", "Balışeyh@TR", "Kırıkkale@TR"],
    "road-erzurum-dogubayazit": ["Pasinler@TR", "Köprüköy@TR", "Horasan@TR", "Eleşkirt@TR", "Ağrı@TR", "Taşlıçay@TR", "Diyadin@TR"],
    "road-dogubayazit-van-pier": ["Çaldıran@TR", "Muradiye@TR", "Timar@TR"],
    "rail-van-pier-bx-kapikoy": ["Erçek@TR", "Özalp@TR"],
    "road-van-pier-bx-kapikoy": ["Özalp@TR"],
    "rail-nakhchivan-culfa": ["Babak@AZ", "Nehram@AZ"],
    # ---- Iran ----
    # the Tabriz–Jolfa railway by its stations ([DE-TJ] de.wikipedia 'Bahnstrecke Täbris–Dscholfa': Jolfa
    # 883.5, Gargar 866, Sal 849, Harsand 835.3, Bare 820 (Bārūj, whose GeoNames alternate names are Bare and
    # Bareh), Marand 810, Kandalaj 796.7, Yam 790.2 (Payām, GeoNames alternate name Yam), Sufian 766.6) and by
    # Hadishahr, where the line runs through its steepest section (foto-kiboko.de, Iran 2017, day 2)
    "rail-jolfa-ir-marand": ["Hādīshahr@IR", "Bārūj@IR"],
    "rail-marand-sufian": ["Payām@IR"],
    "road-bx-gurbulak-marand": ["Bazargan@IR", "Maku@IR", "Showţ@IR", "Qarah Ẕīā’ od Dīn@IR", "Īvāowghlī@IR"],
    "rail-salmas-sufian": ["Sharafkhaneh@IR"],
    "road-salmas-sufian": ["Shabestar@IR"],
    "road-bx-bilasuvar-ardabil": ["Germi@IR", "Razi@IR"],
    "road-ardabil-tabriz": ["Nir@IR", "Sarab@IR", "Arzanaq@IR", "Bostanabad@IR", "Basmenj@IR"],
    # the Tehran–Tabriz line of 1958 (735.9 km, whose length the link carries): from Tabriz by Khosrowshahr,
    # Azarshahr, Gowgan (Gūgān), Ajabshir and Maragheh round the Sahand massif to Hashtrud and Mianeh
    # (de.wikipedia 'Bahnstrecke Teheran–Täbris', route table: Abbasi 720.1, Khosrowshahr 712.2, Azarshahr
    # 686.2, Gowgan 682.1, Ajabshir 644.8, Maragheh 607, Hashtrud 527, Mianeh 439, Zanjan 315, Soltaniyeh
    # 281, Khorramdarreh 226.9, Takestan 178.4, Qazvin 143.6), not the Mianeh–Bostanabad–Tabriz cut-off
    # (132 km to Bostanabad opened 27 Nov 2019, the 70 km on to Tabriz still under construction then, IRNA
    # 2019), which the data does not model
    "rail-tabriz-qazvin": ["Khosrowshahr@IR", "Azarshahr@IR", "Gūgān@IR", "Ajab Shīr@IR", "Maragheh@IR", "Hashtrud@IR",
                           "Mianeh@IR", "Āqkand@IR", "Zanjan@IR", "Soltaniyeh@IR", "Khorramdarreh@IR", "Takestan@IR"],
    "road-tabriz-qazvin": ["Basmenj@IR", "Bostanabad@IR", "Torkamān@IR", "Mianeh@IR", "Āqkand@IR", "Zanjan@IR", "Soltaniyeh@IR", "Khorramdarreh@IR", "Takestan@IR"],
    "rail-qazvin-tehran": ["Abyek@IR", "Hashtgerd@IR", "Karaj@IR"],
    "road-qazvin-tehran": ["Abyek@IR", "Hashtgerd@IR", "Karaj@IR"],
    "rail-rasht-qazvin": ["Rudbar@IR", "Manjil@IR", "Lowshan@IR"],
    "road-rasht-qazvin": ["Rudbar@IR", "Manjil@IR", "Lowshan@IR"],
    "rail-astara-ir-rasht": ["Lavandevil@IR", "Hashtpar@IR", "Rezvanshahr@IR", "Bandar-e Anzali@IR"],
    "road-astara-ir-rasht": ["Lavandevil@IR", "Hashtpar@IR", "Rezvanshahr@IR", "Fuman@IR"],
    "rail-incheh-borun-gorgan": ["Aq Qala@IR"],
    "rail-gorgan-tehran": ["Kordkuy@IR", "Bandar-e Gaz@IR", "Galugah@IR", "Behshahr@IR", "Neka@IR", "Sari@IR",
                           "Qā’em Shahr@IR", "Pol-e Sefid@IR", "Firuzkuh@IR", "Garmābsard@IR", "Garmsar@IR", "Pishva@IR"],
    # ---- Russia ----
    "rail-derbent-makhachkala": ["Mamedkala@RU", "Izberbash@RU", "Manaskent@RU"],
    "road-derbent-makhachkala": ["Mamedkala@RU", "Izberbash@RU", "Manaskent@RU"],
    "rail-moscow-gryazi": ["Lyubertsy@RU", "Bronnitsy@RU", "Voskresensk@RU", "Kolomna@RU", "Lukhovitsy@RU", "Rybnoye@RU",
                           "Ryazan@RU", "Starozhilovo@RU", "Korablino@RU", "Ryazhsk@RU", "Chaplygin@RU", "Michurinsk@RU"],
    "rail-gryazi-rostov": ["Usman'@RU", "Voronezh@RU", "Davydovka@RU", "Liski@RU", "Kamenka@RU", "Podgorenskiy@RU", "Rossosh'@RU", "Kantemirovka@RU", "Chertkovo@RU",
                           "Millerovo@RU", "Tarasovskiy@RU", "Kamensk-Shakhtinskiy@RU", "Likhovskoy@RU", "Krasnyy Sulin@RU", "Shakhty@RU",
                           "Novocherkassk@RU"],
    "road-rostov-moscow": ["Aksay@RU", "Grushevskaya@RU", "Krasnyy Sulin@RU", "Kamensk-Shakhtinskiy@RU", "Tarasovskiy@RU", "Millerovo@RU", "Boguchar@RU",
                           "Verkhniy Mamon@RU", "Pavlovsk@RU", "Losevo@RU", "Sredniy Ikorets@RU", "Kashirskoye@RU", "Novaya Usman'@RU", "Voronezh@RU",
                           "Novozhivotinnoye@RU", "Khlevnoye@RU", "Zadonsk@RU", "Yelets@RU", "Stanovoye@RU", "Yefremov@RU", "Volovo@RU",
                           "Bogoroditsk@RU", "Novomoskovsk@RU", "Venev@RU", "Kashira@RU", "Mikhnëvo@RU", "Domodedovo@RU"],
    "rail-gryazi-aksaraiskaya": ["Dobrinka@RU", "Mordovo@RU", "Tokaryovka@RU", "Zherdevka@RU", "Ternovka@RU", "Gribanovskiy@RU", "Borisoglebsk@RU",
                                 "Povorino@RU", "Novonikolayevskiy@RU", "Novoanninskiy@RU", "Mikhaylovka@RU", "Frolovo@RU", "Ilovlya@RU", "Volgograd@RU", "Volzhskiy@RU", "Leninsk@RU", "Kapustin Yar@RU",
                                 "Akhtubinsk@RU", "Verkhniy Baskunchak@RU", "Kharabali@RU", "Tambovka@RU"],
    "rail-makhachkala-rostov": ["Kizilyurt@RU", "Khasavyurt@RU", "Gudermes@RU", "Kalinovskaya@RU", "Naurskaya@RU", "Mozdok@RU", "Prokhladnyy@RU",
                                "Soldatskaya@RU", "Novopavlovsk@RU", "Georgiyevsk@RU", "Mineralnye Vody@RU", "Kursavka@RU", "Nevinnomyssk@RU",
                                "Uspenskoye@RU", "Armavir@RU", "Gul’kevichi@RU", "Kropotkin@RU", "Tikhoretsk@RU", "Novoleushkovskaya@RU",
                                "Kislyakovskaya@RU", "Kushchyovskaya@RU", "Samarskoye@RU", "Bataysk@RU"],
    "road-makhachkala-rostov": ["Kizilyurt@RU", "Khasavyurt@RU", "Gudermes@RU", "Grozny@RU", "Samashki@RU", "Nazran'@RU", "Beslan@RU", "Elkhotovo@RU",
                                "Nal'chik@RU", "Baksan@RU", "Pyatigorsk@RU", "Mineralnye Vody@RU", "Kursavka@RU", "Nevinnomyssk@RU", "Uspenskoye@RU",
                                "Armavir@RU", "Gul’kevichi@RU", "Kropotkin@RU", "Tikhoretsk@RU", "Pavlovskaya@RU", "Kushchyovskaya@RU",
                                "Samarskoye@RU", "Bataysk@RU"],
    "road-vladikavkaz-rostov": ["Beslan@RU", "Elkhotovo@RU", "Nal'chik@RU", "Baksan@RU", "Pyatigorsk@RU", "Mineralnye Vody@RU", "Kursavka@RU",
                                "Nevinnomyssk@RU", "Uspenskoye@RU", "Armavir@RU", "Gul’kevichi@RU", "Kropotkin@RU", "Tikhoretsk@RU",
                                "Pavlovskaya@RU", "Kushchyovskaya@RU", "Samarskoye@RU", "Bataysk@RU"],
    "rail-adler-rostov": ["Sochi@RU", "Lazarevskoye@RU", "Tuapse@RU", "Goryachiy Klyuch@RU", "Krasnodar@RU", "Korenovsk@RU",
                          "Vyselki@RU", "Tikhoretsk@RU", "Novoleushkovskaya@RU", "Kislyakovskaya@RU", "Kushchyovskaya@RU", "Samarskoye@RU", "Bataysk@RU"],
    "rail-port-kavkaz-rostov": ["Temryuk@RU", "Slavyansk-na-Kubani@RU", "Poltavskaya@RU", "Kalininskaya@RU", "Timashyovsk@RU",
                                "Bryukhovetskaya@RU", "Kanevskaya@RU", "Starominskaya@RU", "Kushchyovskaya@RU", "Samarskoye@RU", "Bataysk@RU"],
    # ---- Kazakhstan and Turkmenistan ----
    "rail-aksaraiskaya-bx-ganyushkino": ["Krasnyy Yar@RU"],
        "rail-atyrau-makat": ["Dossor@KZ"],
    "rail-makat-beyneu": ["Qulsary@KZ"],
    "rail-beyneu-mangyshlak": ["Shetpe@KZ"],
    "rail-mangyshlak-zhanaozen": ["Zhetybay@KZ"],
    "rail-bx-bolashak-bereket": ["Çagyl@TM", "Gyzylgaýa@TM"],
    "rail-turkmenbashi-bereket": ["Belek@TM", "Jebel@TM", "Balkanabat@TM"],
    "rail-bereket-etrek": ["Gyzylbaýyr@TM"],
}

# Where the gazetteer has several places of the name and the nearest to the straight line is not the
# one on the road (the town of Masis, not the village; Artashat, not Verin Artashat; Ayrum, not Mets
# Ayrum; the town of Spitak, not Lernantsk, which GeoNames also lists as Spitak): name@CC -> GeoNames id.
GEONAMES_ID = {"Masis@AM": 616435, "Artashat@AM": 174979, "Ayrum@AM": 616840, "Spitak@AM": 616199}

# Shape points that the gazetteer (cities500) lacks: name@CC -> (lat, lon, the public source of the
# coordinates). gazetteer.py leaves them out of waypoints.py; build_data.py cites the source.
OTHER_POINTS = {
    "Keşlə@AZ": (40.39778, 49.89861, "40°23′52″N 49°53′55″E (Wikipedia 'Keshla', the Baku settlement and rail yard on the main line)"),
    "Gorayk@AM": (39.68278, 45.76139, "39°40′58″N 45°45′41″E (Wikipedia 'Gorayk', the village below the Vorotan pass on the M2)"),
}

# Links whose line crosses open country without towns for more than 60 km between two named
# points (see the module docs).
INTERPOLATE = {
    "rail-makat-beyneu", "rail-beyneu-mangyshlak", "rail-mangyshlak-zhanaozen", "rail-kuryk-mangyshlak",
    "rail-zhanaozen-bx-bolashak", "rail-bx-bolashak-bereket", "rail-bereket-etrek",
    "rail-bx-ganyushkino-atyrau", "rail-aksaraiskaya-bx-ganyushkino", "rail-atyrau-makat",
    "rail-turkmenbashi-bereket", "rail-gryazi-aksaraiskaya",
    # gaps over 60 km without a town within 15 km of the line in the gazetteer (steppe and plain)
    "rail-salyan-lankaran", "road-salyan-lankaran", "rail-ankara-istanbul", "rail-salmas-sufian", "road-salmas-sufian",
    "rail-tabriz-qazvin", "road-tabriz-qazvin", "road-rostov-moscow", "rail-incheh-borun-gorgan",
    "rail-hajigabul-kurdamir", "road-hajigabul-kurdamir", "road-poldasht-jolfa-ir",
}
