"""Names of the main places in the region's languages (issue 14, point 5), added to `aliases`.

Each entry: node id -> names in Russian, Armenian, Azerbaijani, Georgian, Turkish and Persian, in
that order where they differ from the spellings the node already has (a name that equals another
one of the node's labels is skipped by build_data.py). Source: the places' Wikipedia article titles
and Wikidata labels in ru, hy, az, ka, tr and fa. A name shared by two places (Джульфа, جلفا,
Астара, آستارا) goes to one of them only, and the other gets a qualified form, so that every label
still names one node.
"""

ALIAS_SOURCE = "aliases in ru, hy, az, ka, tr, fa: Wikipedia article titles and Wikidata labels"

ALIASES = {
    # capitals and long-haul ends
    "baku": ["Баку", "Բաքու", "ბაქო", "Bakü", "باکو"],
    "yerevan": ["Ереван", "Երևան", "İrəvan", "ერევანი", "Erivan", "ایروان"],
    "tbilisi": ["Тбилиси", "Թբիլիսի", "თბილისი", "تفلیس"],
    "moscow": ["Москва", "Մոսկվա", "მოსკოვი", "Moskova", "مسکو"],
    "tehran": ["Тегеран", "Թեհրան", "თეირანი", "Tahran", "تهران"],
    "ankara": ["Анкара", "Անկարա", "ანკარა", "آنکارا"],
    "istanbul": ["Стамбул", "Ստամբուլ", "სტამბოლი", "استانبول"],
    "rostov": ["Ростов-на-Дону", "Ռոստով", "როსტოვი", "روستوف"],
    # main cities
    "nakhchivan": ["Нахичевань", "Նախիջևան", "ნახჭევანი", "نخجوان"],
    "ganja": ["Гянджа", "Գանձակ", "განჯა", "گنجه"],
    "sumqayit": ["Сумгаит", "Սումգայիթ", "სუმგაითი"],
    "gyumri": ["Гюмри", "Գյումրի", "Gümrü", "გიუმრი", "گیومری"],
    "vanadzor": ["Ванадзор", "Վանաձոր", "ვანაძორი"],
    "batumi": ["Батуми", "Բաթումի", "ბათუმი", "باتومی"],
    "poti": ["Поти", "Փոթի", "ფოთი", "پوتی"],
    "rustavi": ["Рустави", "Ռուսթավի", "რუსთავი"],
    "mtskheta": ["Мцхета", "Մցխեթա", "მცხეთა"],
    "sukhumi": ["Сухум", "Սուխումի", "სოხუმი"],
    "kars": ["Карс", "Կարս", "Qars", "ყარსი", "کارس"],
    "erzurum": ["Эрзурум", "Էրզրում", "Ərzurum", "ერზურუმი", "ارزروم"],
    "tabriz": ["Тебриз", "Թավրիզ", "Təbriz", "თავრიზი", "تبریز"],
    "vladikavkaz": ["Владикавказ", "Վլադիկավկազ", "ვლადიკავკაზი"],
    "makhachkala": ["Махачкала", "Մախաչկալա", "Mahaçqala", "მახაჩყალა", "Mahaçkale"],
    "derbent": ["Дербент", "Դերբենդ", "Dərbənd", "დარუბანდი", "دربند"],
    "rasht": ["Решт", "Ռաշտ", "რეშტი", "رشت"],
    "qazvin": ["Казвин", "Ղազվին", "Qəzvin", "ყაზვინი", "Kazvin", "قزوین"],
    "ardabil": ["Ардебиль", "Արդաբիլ", "Ərdəbil", "არდებილი", "Erdebil", "اردبیل"],
    "aktau": ["Актау", "Ակտաու", "Aktau limanı", "აქტაუ"],
    "turkmenbashi": ["Туркменбаши", "Թուրքմենբաշի", "Türkmənbaşı", "თურქმენბაში", "Türkmenbaşı", "ترکمن‌باشی"],
    # Nakhchivan, the border towns of the claims and the crossings
    "culfa": ["Джульфа", "Ջուլֆա", "ჯულფა"],
    "jolfa-ir": ["Джульфа (Иран)", "Ջուլֆա (Իրան)", "Culfa (İran)", "ჯოლფა", "جلفا"],
    "ordubad": ["Ордубад", "Օրդուբադ", "ორდუბადი", "اردوباد"],
    "sadarak": ["Садарак", "Սադարակ", "სადარაკი", "Sederek (Nahçıvan)"],
    "sharur": ["Шарур", "Շարուր", "შარური", "Şerur"],
    "shahtakhti": ["Шахтахты", "Շահթախտի", "შახთახტი"],
    "meghri": ["Мегри", "Մեղրի", "Mığrı", "მეღრი", "مغری"],
    "agarak": ["Агарак", "Ագարակ", "აგარაკი"],
    "kapan": ["Капан", "Կապան", "კაფანი"],
    "goris": ["Горис", "Գորիս", "გორისი"],
    "yeraskh": ["Ерасх", "Երասխ", "იერასხი"],
    "ijevan": ["Иджеван", "Իջևան", "იჯევანი"],
    "qazax": ["Газах", "Ղազախ", "ყაზახი"],
    "aghband": ["Агбенд", "Աղբենդ"],
    "horadiz": ["Горадиз", "Հորադիզ", "ჰორადიზი"],
    "alat": ["Алят", "Ալաթ"],
    "khankendi": ["Ханкенди", "Степанакерт", "Ստեփանակերտ", "სტეფანაკერტი"],
    "shusha": ["Шуша", "Շուշի", "შუშა"],
    "lachin": ["Лачин", "Լաչին", "ლაჩინი"],
    "astara-az": ["Астара", "Աստարա", "ასტარა"],
    "astara-ir": ["Астара (Иран)", "Աստարա (Իրան)", "Astara (İran)", "آستارا"],
    "igdir": ["Игдыр", "Իգդիր", "İğdır", "იგდირი", "ایغدیر"],
    "akhalkalaki": ["Ахалкалаки", "Ախալքալաք", "Axalkələk", "ახალქალაქი", "Ahılkelek"],
    "ayrum": ["Айрум", "Այրում"],
    "sadakhlo": ["Садахло", "Սադախլո", "Sadaxlı", "სადახლო"],
    "marand": ["Маранд", "Մարանդ", "Mərənd", "مرند"],
    "salmas": ["Салмас", "Սալմաստ", "Salmas (İran)", "سلماس"],
    "poldasht": ["Полдешт", "پلدشت"],
    "nurduz": ["Нурдуз", "Նուրդուզ", "نوردوز"],
    "stepantsminda": ["Степанцминда", "Ստեփանծմինդա", "სტეფანწმინდა"],
    "bx-upper-lars": ["Верхний Ларс", "Վերին Լարս", "Yuxarı Lars", "ზემო ლარსი"],
    "bx-bagratashen": ["Баграташен", "Բագրատաշեն"],
    "bx-red-bridge": ["Красный мост", "Կարմիր կամուրջ", "წითელი ხიდი"],
    "bx-dilucu": ["Дилуджу", "Դիլուջու", "Dilucu sərhəd keçidi", "Dilucu Sınır Kapısı"],
    "bx-gurbulak": ["Гюрбулак", "Гюрбулак – Базарган", "Gürbulak Sınır Kapısı", "بازرگان"],
    "bx-psou": ["Псоу", "Փսոու", "ფსოუ"],
    "gorgan": ["Горган", "Գորգան", "Qorqan"],
}
