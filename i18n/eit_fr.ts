<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>EIT</name>
    <message>
        <location filename="../eit_plugin/deps.py" line="48"/>
        <source>The EIT plugin needs the Python module(s) {names}, which this QGIS cannot import. Windows: open the OSGeo4W Shell and run &quot;python -m pip install {pip}&quot;. Debian/Ubuntu: &quot;sudo apt install {debian}&quot;. macOS: in the QGIS Python console run &quot;import pip; pip.main([&apos;install&apos;, &apos;{pip}&apos;])&quot;. Then restart QGIS.</source>
        <translation>L'extension EIT a besoin du ou des modules Python {names}, que ce QGIS ne peut pas importer. Windows : ouvrez l'OSGeo4W Shell et lancez « python -m pip install {pip} ». Debian/Ubuntu : « sudo apt install {debian} ». macOS : dans la console Python de QGIS, lancez « import pip; pip.main(['install', '{pip}']) ». Puis redémarrez QGIS.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/plugin.py" line="60"/>
        <source>Industrial ecology (EIT)…</source>
        <translation>Écologie industrielle (EIT)…</translation>
    </message>
    <message>
        <location filename="../eit_plugin/plugin.py" line="62"/>
        <source>Open the industrial and territorial ecology panel</source>
        <translation>Ouvrir le panneau d'écologie industrielle et territoriale</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/base.py" line="203"/>
        <source>Cancelled by the user: no output was written.</source>
        <translation>Annulé par l'utilisateur : aucun résultat n'a été écrit.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/layers.py" line="70"/>
        <source>Layer &apos;{layer}&apos; has no field {fields} (matched case-insensitively). Its fields are: {present}. Rename the field or pick the right layer.</source>
        <translation>La couche « {layer} » n'a pas de champ {fields} (recherché sans tenir compte de la casse). Ses champs sont : {present}. Renommez le champ ou choisissez la bonne couche.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="444"/>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/layers.py" line="238"/>
        <source>Could not write feature {} to the output: {}</source>
        <translation>Impossible d'écrire l'entité {} dans le résultat : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="96"/>
        <source>The {what} file &apos;{path}&apos; has no column {cols}. Expected columns: {expected}.</source>
        <translation>Le fichier {what} « {path} » n'a pas de colonne {cols}. Colonnes attendues : {expected}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="109"/>
        <source>Line {n} ({key}) of the {what} file &apos;{path}&apos; has no source or rationale: give a publication and year, or the word &apos;assumption&apos;, and one line of rationale.</source>
        <translation>La ligne {n} ({key}) du fichier {what} « {path} » n'a pas de source ou de justification : indiquez une publication et son année, ou le mot « assumption », et une ligne de justification.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="119"/>
        <source>pooling actions</source>
        <translation>des actions de mutualisation</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="122"/>
        <source>Line {n} (group {g}) of &apos;{path}&apos;: direction must be &apos;supply&apos; or &apos;demand&apos;, not &apos;{v}&apos;.</source>
        <translation>Ligne {n} (groupe {g}) de « {path} » : le sens doit être « supply » (ressource) ou « demand » (besoin), pas « {v} ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="126"/>
        <source>Line {n} (group {g}) of &apos;{path}&apos; lists no resource.</source>
        <translation>La ligne {n} (groupe {g}) de « {path} » ne cite aucune ressource.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="129"/>
        <source>Pooling actions file &apos;{}&apos;: group names must be unique ({} repeated).</source>
        <translation>Fichier des actions de mutualisation « {} » : les noms de groupe doivent être uniques ({} répété).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="135"/>
        <source>Line {n} (group {g}) of '{path}': '{col}' must be a number ≥ 0, not '{v}'.</source>
        <translation>Ligne {n} (groupe {g}) de « {path} » : « {col} » doit être un nombre ≥ 0, pas « {v} ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="151"/>
        <source>facility zone rules</source>
        <translation>des règles d'implantation par zone</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="158"/>
        <source>field must be one of {}</source>
        <translation>le champ doit être l'un de {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="160"/>
        <source>match must be one of {}</source>
        <translation>la correspondance doit être l'une de {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="162"/>
        <source>decision must be &apos;allow&apos; or &apos;forbid&apos;</source>
        <translation>la décision doit être « allow » (autoriser) ou « forbid » (interdire)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="164"/>
        <source>value is empty</source>
        <translation>la valeur est vide</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="166"/>
        <source>Line {n} (rule {r}) of the facility zone rules &apos;{path}&apos;: {problem}.</source>
        <translation>Ligne {n} (règle {r}) des règles d'implantation par zone « {path} » : {problem}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="737"/>
        <source>The flows table has no column {}: use the output of eit:estimateflows.</source>
        <translation>La table des flux n'a pas de colonne {} : utilisez le résultat de eit:estimateflows.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="752"/>
        <source>{} flow(s) without a position were left out of the clusters (first: {}).</source>
        <translation>{} flux sans position ont été écartés des groupements (premier : {}).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="756"/>
        <source>{} flow(s) without a quantity were left out of the clusters (first: {}).</source>
        <translation>{} flux sans quantité ont été écartés des groupements (premier : {}).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="775"/>
        <source>DISTANCE_M must be a positive number of metres, not {}.</source>
        <translation>DISTANCE_M doit être un nombre positif de mètres, pas {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="777"/>
        <source>MIN_MEMBERS must be at least 2, not {}.</source>
        <translation>MIN_MEMBERS doit valoir au moins 2, pas {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="788"/>
        <source>No pooling action for: {} (add a row to pooling_actions.csv to pool them).</source>
        <translation>Aucune action de mutualisation pour : {} (ajoutez une ligne à pooling_actions.csv pour les mutualiser).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="808"/>
        <source>Group {} mixes units ({}): each unit is pooled separately.</source>
        <translation>Le groupe {} mélange des unités ({}) : chaque unité est mutualisée séparément.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="939"/>
        <source>{} synergy line(s) without supplier or receiver were ignored (first: {}).</source>
        <translation>{} ligne(s) de synergie sans fournisseur ou receveur ont été ignorées (première : {}).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/indicators.py" line="92"/>
        <source>Housing assumptions file {} lacks the columns {}.</source>
        <translation>Le fichier des hypothèses sur les logements {} n'a pas les colonnes {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/indicators.py" line="166"/>
        <source>{} flows have an unknown family or direction and are left out of the zone totals.</source>
        <translation>{} flux ont une famille ou un sens inconnus et sont exclus des totaux par zone.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/indicators.py" line="177"/>
        <source>{} flows have a unit that cannot be converted to their family&apos;s unit and are left out of the zone totals.</source>
        <translation>{} flux ont une unité non convertible dans celle de leur famille et sont exclus des totaux par zone.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="94"/>
        <source>Reference file &apos;{file}&apos;: {message}</source>
        <translation>Fichier de référence « {file} » : {message}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="101"/>
        <source>missing column(s) {missing}. Expected columns: {expected}.</source>
        <translation>colonne(s) manquante(s) {missing}. Colonnes attendues : {expected}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="107"/>
        <source>no rows. Add at least one row under the header.</source>
        <translation>aucune ligne. Ajoutez au moins une ligne sous l'en-tête.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="123"/>
        <source>line {line}, column &apos;{column}&apos;: &apos;{value}&apos; is not a number.</source>
        <translation>ligne {line}, colonne « {column} » : « {value} » n'est pas un nombre.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="127"/>
        <source>line {line}, column &apos;{column}&apos;: a number is required.</source>
        <translation>ligne {line}, colonne « {column} » : un nombre est obligatoire.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="130"/>
        <source>line {line}, column &apos;{column}&apos;: {value} is below the minimum {minimum}.</source>
        <translation>ligne {line}, colonne « {column} » : {value} est inférieur au minimum {minimum}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="134"/>
        <source>line {line}, column &apos;{column}&apos;: {value} is above the maximum {maximum}.</source>
        <translation>ligne {line}, colonne « {column} » : {value} dépasse le maximum {maximum}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="143"/>
        <source>line {line}: column &apos;source&apos; is empty. Give the publication and year, or the word &apos;assumption&apos; with a rationale.</source>
        <translation>ligne {line} : la colonne « source » est vide. Indiquez la publication et son année, ou le mot « assumption » avec une justification.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="150"/>
        <source>line {line}: an &apos;assumption&apos; needs a one-line &apos;rationale&apos;.</source>
        <translation>ligne {line} : une hypothèse (« assumption ») demande une ligne de justification (« rationale »).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="157"/>
        <source>line {line}: duplicate entry for {key}. Keep one row per {columns}.</source>
        <translation>ligne {line} : entrée en double pour {key}. Gardez une seule ligne par {columns}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="172"/>
        <source>Reference file not found: &apos;{}&apos;. Check the path.</source>
        <translation>Fichier de référence introuvable : « {} ». Vérifiez le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="272"/>
        <source>line {line}: resource code &apos;{code}&apos; must be lower-case letters, digits and &apos;_&apos;.</source>
        <translation>ligne {line} : le code de ressource « {code} » ne doit contenir que des minuscules, des chiffres et « _ ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="279"/>
        <source>line {line}: family &apos;{family}&apos; is not one of {families}.</source>
        <translation>ligne {line} : la famille « {family} » n'est pas l'une de {families}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="286"/>
        <source>line {line}: resource &apos;{code}&apos; of family &apos;{family}&apos; must be counted in {unit}, not &apos;{given}&apos;.</source>
        <translation>ligne {line} : la ressource « {code} » de la famille « {family} » se compte en {unit}, pas en « {given} ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="294"/>
        <source>line {line}: role &apos;{role}&apos; is not one of {roles}.</source>
        <translation>ligne {line} : le rôle « {role} » n'est pas l'un de {roles}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="304"/>
        <source>line {line}: List-of-Waste code &apos;{code}&apos; in &apos;ewc_codes&apos; is malformed (expected 6 digits such as 020501, space-separated).</source>
        <translation>ligne {line} : le code de la nomenclature des déchets « {code} » dans « ewc_codes » est mal formé (6 chiffres attendus, comme 020501, séparés par des espaces).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="348"/>
        <source>a supply</source>
        <translation>une ressource</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="348"/>
        <source>a demand</source>
        <translation>un besoin</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="353"/>
        <source>line {line}, column &apos;{column}&apos;: unknown resource &apos;{code}&apos;. Add it to taxonomy.csv first.</source>
        <translation>ligne {line}, colonne « {column} » : ressource inconnue « {code} ». Ajoutez-la d'abord à taxonomy.csv.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="356"/>
        <source>line {line}, column &apos;{column}&apos;: &apos;{code}&apos; is not {what} in taxonomy.csv (role &apos;{role}&apos;).</source>
        <translation>ligne {line}, colonne « {column} » : « {code} » n'est pas {what} dans taxonomy.csv (rôle « {role} »).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="364"/>
        <source>line {line}: kind &apos;{kind}&apos; is not one of {kinds}.</source>
        <translation>ligne {line} : le type « {kind} » n'est pas l'un de {kinds}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="369"/>
        <source>line {line}: efficiency must be above 0.</source>
        <translation>ligne {line} : le rendement doit être supérieur à 0.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="406"/>
        <source>line {line}: NAF code '{code}' is not a NAF rév. 2 sub-class (10.51C), class (10.51), group (10.5) or division (10).</source>
        <translation>ligne {line} : le code NAF « {code} » n'est ni une sous-classe (10.51C), ni une classe (10.51), ni un groupe (10.5), ni une division (10) de la NAF rév. 2.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="413"/>
        <source>line {line}: direction &apos;{value}&apos; must be &apos;supply&apos; or &apos;demand&apos; (&apos;ressource&apos;/&apos;besoin&apos;).</source>
        <translation>ligne {line} : le sens « {value} » doit être « supply » ou « demand » (« ressource »/« besoin »).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="418"/>
        <source>line {line}: unknown resource &apos;{code}&apos;. Use a code of taxonomy.csv.</source>
        <translation>ligne {line} : ressource inconnue « {code} ». Utilisez un code de taxonomy.csv.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="421"/>
        <source>line {line}: resource &apos;{code}&apos; cannot be a {direction} (its role in taxonomy.csv is &apos;{role}&apos;).</source>
        <translation>ligne {line} : la ressource « {code} » ne peut pas être en sens {direction} (son rôle dans taxonomy.csv est « {role} »).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="435"/>
        <source>line {line}: unit &apos;{unit}&apos; cannot be used for &apos;{code}&apos;, counted in {canonical}. Use one of: {accepted}.</source>
        <translation>ligne {line} : l'unité « {unit} » ne convient pas pour « {code} », compté en {canonical}. Utilisez l'une de : {accepted}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="448"/>
        <source>line {line}: heat flow '{code}' needs a temperature_c (°C).</source>
        <translation>ligne {line} : le flux de chaleur « {code} » demande une température temperature_c (°C).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="454"/>
        <source>line {line}: List-of-Waste code &apos;{code}&apos; is malformed (expected e.g. 02 05 01 or 020501).</source>
        <translation>ligne {line} : le code de la nomenclature des déchets « {code} » est mal formé (attendu par exemple 02 05 01 ou 020501).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="492"/>
        <source>line {line}: NAF code &apos;{code}&apos; is malformed.</source>
        <translation>ligne {line} : le code NAF « {code} » est mal formé.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/reference.py" line="525"/>
        <source>line {line}: List-of-Waste code &apos;{code}&apos; is malformed.</source>
        <translation>ligne {line} : le code de la nomenclature des déchets « {code} » est mal formé.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="285"/>
        <source>File not found: &apos;{}&apos;. Check the path.</source>
        <translation>Fichier introuvable : « {} ». Vérifiez le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/sirene_csv.py" line="73"/>
        <source>The archive &apos;{}&apos; contains no .csv file.</source>
        <translation>L'archive « {} » ne contient aucun fichier .csv.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/tables.py" line="139"/>
        <source>The file &apos;{}&apos; is empty: it needs a header line and at least one row.</source>
        <translation>Le fichier « {} » est vide : il lui faut une ligne d'en-tête et au moins une ligne de données.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/sirene_csv.py" line="238"/>
        <source>&apos;{file}&apos; has no column {columns} (matched case-insensitively). Its columns are: {found}. Check that it is the right file and that its header line is intact.</source>
        <translation>« {file} » n'a pas de colonne {columns} (recherchée sans tenir compte de la casse). Ses colonnes sont : {found}. Vérifiez que c'est le bon fichier et que sa ligne d'en-tête est intacte.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/sirene.py" line="202"/>
        <source>&apos;{file}&apos; has no coordinates: it needs the columns &apos;coordonneeLambertAbscisseEtablissement&apos; and &apos;coordonneeLambertOrdonneeEtablissement&apos;, or &apos;x&apos;, &apos;y&apos; and &apos;epsg&apos; (matched case-insensitively), or give the SIRENE geolocation file as GEOLOCATION. Its columns are: {found}.</source>
        <translation>« {file} » n'a pas de coordonnées : il lui faut les colonnes « coordonneeLambertAbscisseEtablissement » et « coordonneeLambertOrdonneeEtablissement », ou « x », « y » et « epsg » (sans tenir compte de la casse) ; sinon, donnez le fichier de géolocalisation SIRENE en GEOLOCATION. Ses colonnes sont : {found}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/sirene.py" line="220"/>
        <source>&apos;{}&apos; has no column &apos;etatAdministratifEtablissement&apos;: every row is taken as active.</source>
        <translation>« {} » n'a pas de colonne « etatAdministratifEtablissement » : toutes les lignes sont considérées comme actives.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/tables.py" line="83"/>
        <source>Cannot read the file &apos;{}&apos;: {}</source>
        <translation>Impossible de lire le fichier « {} » : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/tables.py" line="109"/>
        <source>'{}' is a spreadsheet: open it as a layer in QGIS (or save it as CSV) — the core reader only reads CSV text files.</source>
        <translation>« {} » est un classeur : ouvrez-le comme couche dans QGIS (ou enregistrez-le en CSV) — le lecteur de base ne lit que des fichiers texte CSV.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/tables.py" line="133"/>
        <source>The file &apos;{}&apos; could not be read as a &apos;{}&apos;-separated table: {}. Check that every row has as many separators as the header and that quotes are closed.</source>
        <translation>Le fichier « {} » n'a pas pu être lu comme une table séparée par « {} » : {}. Vérifiez que chaque ligne a autant de séparateurs que l'en-tête et que les guillemets sont fermés.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/units.py" line="55"/>
        <source>mass</source>
        <translation>une masse</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/units.py" line="57"/>
        <source>energy</source>
        <translation>une énergie</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/units.py" line="58"/>
        <source>volume</source>
        <translation>un volume</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/units.py" line="100"/>
        <source>unknown unit &apos;{unit}&apos;. Use one of: {accepted}.</source>
        <translation>unité inconnue « {unit} ». Utilisez l'une de : {accepted}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/units.py" line="105"/>
        <source>unit &apos;{unit}&apos; is a {dim} but this resource is counted in {canonical} ({cdim}). Use one of: {accepted}.</source>
        <translation>l'unité « {unit} » mesure {dim} mais cette ressource se compte en {canonical} ({cdim}). Utilisez l'une de : {accepted}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="66"/>
        <source>Industrial ecology (EIT)</source>
        <translation>Écologie industrielle (EIT)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="95"/>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="98"/>
        <source>Tables (*.csv *.txt *.xlsx);;All files (*)</source>
        <translation>Tableaux (*.csv *.txt *.xlsx);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="101"/>
        <source>Public document (statistical secret applied)</source>
        <translation>Document public (secret statistique appliqué)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="102"/>
        <source>Internal work (all figures, confidential)</source>
        <translation>Travail interne (tous les chiffres, confidentiel)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="104"/>
        <source>Language of QGIS</source>
        <translation>Langue de QGIS</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="420"/>
        <source>Synergy</source>
        <translation>Synergie</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="109"/>
        <source>Cluster</source>
        <translation>Groupement</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="171"/>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="110"/>
        <source>Recommendation</source>
        <translation>Recommandation</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="110"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/runner.py" line="130"/>
        <source>The Processing algorithm {} is not available: check that the EIT plugin is enabled in Plugins &gt; Manage and Install Plugins.</source>
        <translation>L'algorithme de traitement {} n'est pas disponible : vérifiez que l'extension EIT est activée dans Extensions &gt; Installer/Gérer les extensions.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="289"/>
        <source>Cannot create the output folder {}: {}</source>
        <translation>Impossible de créer le dossier de résultats {} : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/runner.py" line="162"/>
        <source>Industrial ecology analysis</source>
        <translation>Analyse d'écologie industrielle</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="310"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="324"/>
        <source>Analysis running in the background; QGIS stays usable.</source>
        <translation>Analyse en cours en arrière-plan ; QGIS reste utilisable.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="342"/>
        <source>Analysis cancelled: no layer was added.</source>
        <translation>Analyse annulée : aucune couche n'a été ajoutée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="346"/>
        <source>The analysis failed: {}</source>
        <translation>L'analyse a échoué : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="366"/>
        <source>Analysis finished: results in {}</source>
        <translation>Analyse terminée : résultats dans {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="388"/>
        <source>Load EIT results</source>
        <translation>Charger des résultats EIT</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="113"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="435"/>
        <source>Synergies ({})</source>
        <translation>Synergies ({})</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="436"/>
        <source>Clusters ({})</source>
        <translation>Groupements ({})</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="437"/>
        <source>Recommendations ({})</source>
        <translation>Recommandations ({})</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="64"/>
        <source>{} synergies, {} clusters, {} recommendations</source>
        <translation>{} synergies, {} groupements, {} recommandations</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="535"/>
        <source>The report {} does not exist.</source>
        <translation>Le rapport {} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="32"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="32"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="116"/>
        <source>members</source>
        <translation>membres</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="146"/>
        <source>Synergy {}</source>
        <translation>Synergie {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="148"/>
        <source>Alternative synergy {}</source>
        <translation>Synergie alternative {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="171"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Supplier (SIRET)</source>
        <translation>Fournisseur (SIRET)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Receiver (SIRET)</source>
        <translation>Receveur (SIRET)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Receiving zone</source>
        <translation>Zone receveuse</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Quantity per year</source>
        <translation>Quantité par an</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Distance (m)</source>
        <translation>Distance (m)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Distance measured</source>
        <translation>Distance mesurée</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Confidence (0-1)</source>
        <translation>Indice de confiance (0-1)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="197"/>
        <source>CO2 avoided (t/yr)</source>
        <translation>CO2 évité (t/an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Heat recovered (MWh/yr)</source>
        <translation>Chaleur valorisée (MWh/an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Waste diverted (t/yr)</source>
        <translation>Déchets détournés (t/an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="169"/>
        <source>Cluster {}</source>
        <translation>Groupement {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="171"/>
        <source>Resources</source>
        <translation>Ressources</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="171"/>
        <source>Total quantity per year</source>
        <translation>Quantité totale par an</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="38"/>
        <source>PLU zones</source>
        <translation>Zones du PLU</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="171"/>
        <source>Truck km avoided per year</source>
        <translation>Km de camion évités par an</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="171"/>
        <source>Saving (EUR/yr)</source>
        <translation>Économie (€/an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="184"/>
        <source>Recommendation {}</source>
        <translation>Recommandation {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="190"/>
        <source>Evidence:</source>
        <translation>Éléments chiffrés :</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="191"/>
        <source>Planning document</source>
        <translation>Document de planification</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="191"/>
        <source>Applies to</source>
        <translation>S'applique à</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="191"/>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="191"/>
        <source>Priority (1 = high)</source>
        <translation>Priorité (1 = haute)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="191"/>
        <source>Instrument</source>
        <translation>Outil</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="200"/>
        <source>Figures withheld: statistical secret (fewer than 3 establishments or one above 85 %).</source>
        <translation>Chiffres masqués : secret statistique (moins de 3 établissements ou l'un d'eux au-dessus de 85 %).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="203"/>
        <source>PLU zone {}</source>
        <translation>Zone du PLU {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="204"/>
        <source>Zone type</source>
        <translation>Type de zone</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="109"/>
        <source>EIT potential</source>
        <translation>Potentiel EIT</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="206"/>
        <source>Establishments</source>
        <translation>Établissements</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="204"/>
        <source>Estimated jobs</source>
        <translation>Emplois estimés</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="204"/>
        <source>Heat supply (MWh/yr)</source>
        <translation>Chaleur disponible (MWh/an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="204"/>
        <source>Heat demand (MWh/yr)</source>
        <translation>Besoin de chaleur (MWh/an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="204"/>
        <source>Waste supply (t/yr)</source>
        <translation>Déchets disponibles (t/an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="204"/>
        <source>Mixity index (0-1)</source>
        <translation>Indice de mixité (0-1)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="215"/>
        <source>Flow {}</source>
        <translation>Flux {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Establishment</source>
        <translation>Établissement</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Resource</source>
        <translation>Ressource</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Temperature (°C)</source>
        <translation>Température (°C)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Origin</source>
        <translation>Origine</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="216"/>
        <source>Source of the ratio</source>
        <translation>Source du ratio</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="231"/>
        <source>No details.</source>
        <translation>Pas de détail.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="37"/>
        <source>Flows (supplies and demands)</source>
        <translation>Flux (ressources et besoins)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="39"/>
        <source>Communes</source>
        <translation>Communes</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="119"/>
        <source>Synergies</source>
        <translation>Synergies</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="41"/>
        <source>Alternative synergies</source>
        <translation>Synergies alternatives</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="120"/>
        <source>Pooling clusters</source>
        <translation>Groupements de mutualisation</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="107"/>
        <source>Recommendations</source>
        <translation>Recommandations</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="60"/>
        <source>{} is not a readable GeoPackage: {}</source>
        <translation>{} n'est pas un GeoPackage lisible : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="382"/>
        <source>CNIG zone types</source>
        <translation>Types de zones CNIG</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="128"/>
        <source>The result file {} does not exist.</source>
        <translation>Le fichier de résultats {} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="137"/>
        <source>Layer &apos;{}&apos; of {} cannot be opened.</source>
        <translation>La couche « {} » de {} ne peut pas être ouverte.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/results.py" line="145"/>
        <source>{} contains none of the EIT output layers.</source>
        <translation>{} ne contient aucune des couches de résultats EIT.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/runner.py" line="112"/>
        <source>Choose the PLU zones layer (CNIG zone_urba) in step 1.</source>
        <translation>Choisissez la couche des zones du PLU (CNIG zone_urba) à l'étape 1.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/runner.py" line="114"/>
        <source>Choose an establishments layer or a SIRENE file in step 1.</source>
        <translation>Choisissez une couche d'établissements ou un fichier SIRENE à l'étape 1.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/runner.py" line="148"/>
        <source>The analysis failed; see the Processing log.</source>
        <translation>L'analyse a échoué ; voir le journal des traitements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/runner.py" line="183"/>
        <source>Unexpected error during the analysis: {}</source>
        <translation>Erreur inattendue pendant l'analyse : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="107"/>
        <source>Flows (output of eit:estimateflows)</source>
        <translation>Flux (résultat de eit:estimateflows)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="97"/>
        <source>Synergies (output of eit:detectsynergies)</source>
        <translation>Synergies (résultat de eit:detectsynergies)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="137"/>
        <source>PLU zones (CNIG zone_urba or eit:zoneoverlay output)</source>
        <translation>Zones du PLU (CNIG zone_urba ou résultat de eit:zoneoverlay)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="140"/>
        <source>Network for distances (roads)</source>
        <translation>Réseau pour les distances (routes)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="142"/>
        <source>Maximum distance between neighbouring members (m)</source>
        <translation>Distance maximale entre membres voisins (m)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="145"/>
        <source>Minimum members of a cluster</source>
        <translation>Nombre minimal de membres d'un groupement</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="148"/>
        <source>Factor on the minimum quantity of each pooling action (0 = no minimum)</source>
        <translation>Coefficient sur la quantité minimale de chaque action de mutualisation (0 = pas de minimum)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="151"/>
        <source>Pooling actions table (CSV, overrides the shipped one)</source>
        <translation>Table des actions de mutualisation (CSV, remplace celle fournie)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="154"/>
        <source>CSV (*.csv *.CSV);;All files (*)</source>
        <translation>CSV (*.csv *.CSV);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="154"/>
        <source>Facility zone rules (CSV, overrides the shipped one)</source>
        <translation>Règles d'implantation des équipements par zone (CSV, remplace celles fournies)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="162"/>
        <source>Clusters</source>
        <translation>Groupements</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="159"/>
        <source>Suggested sites of shared facilities</source>
        <translation>Sites proposés pour les équipements mutualisés</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="164"/>
        <source>Exchange clusters</source>
        <translation>Groupements d'échange</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="204"/>
        <source>flows</source>
        <translation>flux</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="174"/>
        <source>The flows layer is empty: run eit:estimateflows first.</source>
        <translation>La couche des flux est vide : lancez d'abord eit:estimateflows.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="179"/>
        <source>synergies</source>
        <translation>synergies</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="338"/>
        <source>FLOWS is required: the flows layer produced by eit:estimateflows.</source>
        <translation>FLOWS est obligatoire : la couche des flux produite par eit:estimateflows.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="342"/>
        <source>{} flows read.</source>
        <translation>{} flux lus.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="204"/>
        <source>{} synergies read.</source>
        <translation>{} synergies lues.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="429"/>
        <source>zones</source>
        <translation>zones</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="211"/>
        <source>{} zones read.</source>
        <translation>{} zones lues.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="220"/>
        <source>The NETWORK layer has no line with at least two vertices.</source>
        <translation>La couche NETWORK n'a aucune ligne d'au moins deux sommets.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="221"/>
        <source>Network: {} nodes, {:.1f} km; distances between members are measured along it.</source>
        <translation>Réseau : {} nœuds, {:.1f} km ; les distances entre membres sont mesurées le long du réseau.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="405"/>
        <source>Could not create the OUTPUT layer: check the destination path.</source>
        <translation>Impossible de créer la couche OUTPUT : vérifiez le chemin de destination.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="258"/>
        <source>{}: {} cluster(s).</source>
        <translation>{} : {} groupement(s).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="262"/>
        <source>{} cluster(s) have no admissible site for their facility (see site_reason): {}.</source>
        <translation>{} groupement(s) n'ont aucun site admissible pour leur équipement (voir site_reason) : {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_clusters.py" line="264"/>
        <source>{} pooling and {} exchange clusters written (EPSG:2154).</source>
        <translation>{} groupements de mutualisation et {} groupements d'échange écrits (EPSG:2154).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="65"/>
        <source>SIRENE establishments file (StockEtablissement CSV)</source>
        <translation>Fichier des établissements SIRENE (CSV StockEtablissement)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="68"/>
        <source>CSV files (*.csv *.txt)</source>
        <translation>Fichiers CSV (*.csv *.txt)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="68"/>
        <source>SIRENE geolocation file (siret;x;y;epsg…)</source>
        <translation>Fichier de géolocalisation SIRENE (siret;x;y;epsg…)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="71"/>
        <source>Or: existing establishments layer</source>
        <translation>Ou : couche d'établissements existante</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="74"/>
        <source>Territory to keep (polygons)</source>
        <translation>Territoire à conserver (polygones)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="76"/>
        <source>Declared flows (company surveys: CSV or XLSX)</source>
        <translation>Flux déclarés (enquêtes auprès des entreprises : CSV ou XLSX)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="82"/>
        <source>Flow ratios overriding the shipped table (CSV)</source>
        <translation>Ratios de flux remplaçant la table fournie (CSV)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="90"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="105"/>
        <source>PLU zones (CNIG zone_urba)</source>
        <translation>Zones du PLU (CNIG zone_urba)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="87"/>
        <source>Housing (dwelling points or residential polygons)</source>
        <translation>Logements (points de logements ou polygones résidentiels)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="122"/>
        <source>Network (roads or existing heat network lines)</source>
        <translation>Réseau (routes ou lignes du réseau de chaleur existant)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/catalogue.py" line="61"/>
        <source>Maximum synergy distance override (m, 0 = per resource)</source>
        <translation>Distance maximale des synergies imposée (m, 0 = selon la ressource)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/catalogue.py" line="55"/>
        <source>Pooling distance between members (m)</source>
        <translation>Distance de mutualisation entre membres (m)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/catalogue.py" line="58"/>
        <source>Minimum members of a pooling cluster</source>
        <translation>Nombre minimal de membres d'un groupement de mutualisation</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="135"/>
        <source>Public document: apply the statistical secret</source>
        <translation>Document public : appliquer le secret statistique</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="103"/>
        <source>Report language</source>
        <translation>Langue du rapport</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="105"/>
        <source>Territory name (report title)</source>
        <translation>Nom du territoire (titre du rapport)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="107"/>
        <source>Note printed at the top of the report (e.g. data vintage)</source>
        <translation>Note imprimée en tête du rapport (par exemple le millésime des données)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="113"/>
        <source>Result GeoPackage</source>
        <translation>GeoPackage de résultats</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="115"/>
        <source>Report (HTML; the PDF is written beside it)</source>
        <translation>Rapport (HTML ; le PDF est écrit à côté)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="115"/>
        <source>HTML files (*.html)</source>
        <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="118"/>
        <source>Report (PDF)</source>
        <translation>Rapport (PDF)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="141"/>
        <source>Give either a SIRENE file (SIRENE_FILE, with GEOLOCATION when the coordinates are in the separate geolocation file) or an existing establishments layer (ESTABLISHMENTS).</source>
        <translation>Donnez soit un fichier SIRENE (SIRENE_FILE, avec GEOLOCATION quand les coordonnées sont dans le fichier de géolocalisation séparé), soit une couche d'établissements existante (ESTABLISHMENTS).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="205"/>
        <source>Outputs (EPSG:2154): {} and {}</source>
        <translation>Résultats (EPSG:2154) : {} et {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="106"/>
        <source>The study area (AREA) has no polygon with a geometry: choose a polygon layer, e.g. the communes of the territory.</source>
        <translation>Le périmètre d'étude (AREA) n'a aucun polygone avec une géométrie : choisissez une couche de polygones, par exemple les communes du territoire.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="191"/>
        <source>SIRENE establishments file (StockEtablissement CSV/ZIP, joined CSV, or point file)</source>
        <translation>Fichier des établissements SIRENE (CSV/ZIP StockEtablissement, CSV joint ou fichier de points)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="191"/>
        <source>SIRENE CSV (*.csv *.CSV *.txt *.zip);;Point layers (*.gpkg *.shp *.geojson);;All files (*)</source>
        <translation>CSV SIRENE (*.csv *.CSV *.txt *.zip);;Couches de points (*.gpkg *.shp *.geojson);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="195"/>
        <source>Or: existing point layer of establishments</source>
        <translation>Ou : couche de points d'établissements existante</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="198"/>
        <source>SIRENE geolocation file (siret;x;y;qualite_xy;epsg…)</source>
        <translation>Fichier de géolocalisation SIRENE (siret;x;y;qualite_xy;epsg…)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="198"/>
        <source>CSV (*.csv *.CSV *.txt *.zip);;All files (*)</source>
        <translation>CSV (*.csv *.CSV *.txt *.zip);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="201"/>
        <source>Study area (keep establishments inside these polygons)</source>
        <translation>Périmètre d'étude (garder les établissements situés dans ces polygones)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="204"/>
        <source>Active establishments only</source>
        <translation>Établissements actifs uniquement</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="208"/>
        <source>Rows skipped, by reason</source>
        <translation>Lignes écartées, par motif</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="211"/>
        <source>Establishments kept</source>
        <translation>Établissements conservés</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="212"/>
        <source>Rows skipped</source>
        <translation>Lignes écartées</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="219"/>
        <source>Give either INPUT (a file) or INPUT_LAYER (a layer), not both.</source>
        <translation>Donnez soit INPUT (un fichier), soit INPUT_LAYER (une couche), pas les deux.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="221"/>
        <source>No input: give INPUT (the SIRENE StockEtablissement CSV, a joined CSV or a point file) or INPUT_LAYER (a point layer).</source>
        <translation>Aucune entrée : donnez INPUT (le CSV SIRENE StockEtablissement, un CSV joint ou un fichier de points) ou INPUT_LAYER (une couche de points).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="231"/>
        <source>The study area (AREA) could not be opened: check the layer or path.</source>
        <translation>Le périmètre d'étude (AREA) n'a pas pu être ouvert : vérifiez la couche ou le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="215"/>
        <source>Study area: {} polygons.</source>
        <translation>Périmètre d'étude : {} polygones.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="235"/>
        <source>{} invalid polygons of the study area were repaired (makeValid).</source>
        <translation>{} polygones invalides du périmètre d'étude ont été réparés (makeValid).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="240"/>
        <source>The NAF labels table is not available: naf_label is left empty and NAF codes are checked for their format only.</source>
        <translation>La table des libellés NAF n'est pas disponible : naf_label reste vide et seul le format des codes NAF est vérifié.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="246"/>
        <source>The output OUTPUT could not be created: check its path.</source>
        <translation>Le résultat OUTPUT n'a pas pu être créé : vérifiez son chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="258"/>
        <source>Could not write establishment {} to the output.</source>
        <translation>Impossible d'écrire l'établissement {} dans le résultat.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="236"/>
        <source>No establishment was kept: see the reasons above (is AREA on the right territory?).</source>
        <translation>Aucun établissement n'a été conservé : voir les motifs ci-dessus (AREA couvre-t-il le bon territoire ?).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="277"/>
        <source>Output written in EPSG:2154 (Lambert-93).</source>
        <translation>Résultat écrit en EPSG:2154 (Lambert-93).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="296"/>
        <source>&apos;{}&apos; is neither a CSV file nor a layer QGIS can open: give the StockEtablissement CSV or a point layer.</source>
        <translation>« {} » n'est ni un fichier CSV ni une couche que QGIS sait ouvrir : donnez le CSV StockEtablissement ou une couche de points.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="306"/>
        <source>The layer INPUT_LAYER could not be opened: check the layer or path.</source>
        <translation>La couche INPUT_LAYER n'a pas pu être ouverte : vérifiez la couche ou le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="173"/>
        <source>Algorithm {} is not available: is the EIT plugin fully installed?</source>
        <translation>L'algorithme {} n'est pas disponible : l'extension EIT est-elle installée en entier ?</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="54"/>
        <source>Step {} failed; see the log above for the reason.</source>
        <translation>L'étape {} a échoué ; voir la raison dans le journal ci-dessus.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="105"/>
        <source>Step {}: existing establishments layer used.</source>
        <translation>Étape {} : couche d'établissements existante utilisée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="324"/>
        <source>Step {} of {}: {}</source>
        <translation>Étape {} sur {} : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/gpkg.py" line="45"/>
        <source>Could not write layer &apos;{}&apos; into {}: {}</source>
        <translation>Impossible d'écrire la couche « {} » dans {} : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="373"/>
        <source>Layer &apos;{}&apos; could not be opened in {}.</source>
        <translation>La couche « {} » n'a pas pu être ouverte dans {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="414"/>
        <source>EIT default style</source>
        <translation>Style par défaut EIT</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/report_writer.py" line="220"/>
        <source>Report written: {} ({} maps) and {}</source>
        <translation>Rapport écrit : {} ({} cartes) et {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="431"/>
        <source>Layer &apos;{}&apos; is not a polygon layer: the zones must be the PLU zone_urba polygons.</source>
        <translation>La couche « {} » n'est pas une couche de polygones : les zones doivent être les polygones zone_urba du PLU.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="444"/>
        <source>Layer &apos;{layer}&apos; has no field TYPEZONE (matched case-insensitively). Its fields are: {present}. The zones must follow the CNIG zone_urba standard (TYPEZONE, LIBELLE, INSEE...).</source>
        <translation>La couche « {layer} » n'a pas de champ TYPEZONE (recherché sans tenir compte de la casse). Ses champs sont : {present}. Les zones doivent suivre le standard CNIG zone_urba (TYPEZONE, LIBELLE, INSEE…).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="451"/>
        <source>Zones reprojected from {} to EPSG:2154.</source>
        <translation>Zones reprojetées de {} vers EPSG:2154.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="474"/>
        <source>Zone {} has no geometry: it is kept in the output but contains no flow.</source>
        <translation>La zone {} n'a pas de géométrie : elle est gardée dans le résultat mais ne contient aucun flux.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="483"/>
        <source>Zone {zone} has an invalid geometry ({why}) that could not be repaired. Fix it in QGIS (Vector &gt; Geometry Tools &gt; Check Validity / Fix Geometries) and run again.</source>
        <translation>La zone {zone} a une géométrie invalide ({why}) qui n'a pas pu être réparée. Corrigez-la dans QGIS (Vecteur &gt; Outils de géométrie &gt; Vérifier la validité / Réparer les géométries) et relancez.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="489"/>
        <source>Zone {zone} had an invalid geometry ({why}); it was repaired (make valid), area {before:.0f} m² → {after:.0f} m².</source>
        <translation>La zone {zone} avait une géométrie invalide ({why}) ; elle a été réparée (make valid), surface {before:.0f} m² → {after:.0f} m².</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="71"/>
        <source>{n} establishments read; {w} have at least one flow.</source>
        <translation>{n} établissements lus ; {w} ont au moins un flux.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="73"/>
        <source>{n} flows estimated from the ratio table.</source>
        <translation>{n} flux estimés à partir de la table des ratios.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="77"/>
        <source>{n} establishments have no ratio for their NAF code and got no estimated flow; by NAF division: {divisions}. Add rows to a ratio file (RATIOS) or declare their flows to cover them.</source>
        <translation>{n} établissements n'ont pas de ratio pour leur code NAF et n'ont reçu aucun flux estimé ; par division NAF : {divisions}. Ajoutez des lignes à un fichier de ratios (RATIOS) ou déclarez leurs flux pour les couvrir.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="81"/>
        <source>{n} establishments have a missing, malformed or unknown NAF code (not in NAF rév. 2, e.g. {examples}) and got no estimated flow.</source>
        <translation>{n} établissements ont un code NAF absent, mal formé ou inconnu (hors NAF rév. 2, par exemple {examples}) et n'ont reçu aucun flux estimé.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="85"/>
        <source>{n} establishments have no employee (band 00) and a ratio expressed per employee only: no flow estimated for them.</source>
        <translation>{n} établissements n'ont aucun salarié (tranche 00) et un ratio exprimé uniquement par salarié : aucun flux estimé pour eux.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="88"/>
        <source>{n} establishments have an unknown headcount (band NN): only the fixed part of the ratios was estimated for them.</source>
        <translation>{n} établissements ont un effectif inconnu (tranche NN) : seule la part fixe des ratios a été estimée pour eux.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="91"/>
        <source>{n} establishments appear more than once (same SIRET): only the first was used.</source>
        <translation>{n} établissements apparaissent plusieurs fois (même SIRET) : seul le premier a été utilisé.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="70"/>
        <source>Declared flows ({label}): {rows} rows, {used} used ({replaced} replace an estimate, {added} added), {rejected} rejected, {unknown} for SIRETs not among the establishments.</source>
        <translation>Flux déclarés ({label}) : {rows} lignes, {used} utilisées ({replaced} remplacent une estimation, {added} ajoutées), {rejected} rejetées, {unknown} pour des SIRET absents des établissements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="81"/>
        <source>line {line} ({siret})</source>
        <translation>ligne {line} ({siret})</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="81"/>
        <source>Declared rows skipped because their SIRET is not among the establishments (they cannot be placed on the map): {sirets}{more}. Check the SIRET or add the establishment.</source>
        <translation>Lignes déclarées écartées car leur SIRET ne figure pas parmi les établissements (impossible de les placer sur la carte) : {sirets}{more}. Vérifiez le SIRET ou ajoutez l'établissement.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="81"/>
        <source> and {} more</source>
        <translation> et {} autres</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="133"/>
        <source>The establishments table has no column {missing}; its columns are: {present}. Use the output of &apos;Import SIRENE establishments&apos;.</source>
        <translation>La table des établissements n'a pas de colonne {missing} ; ses colonnes sont : {present}. Utilisez le résultat de « Importer les établissements SIRENE ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="107"/>
        <source>Declared flows &apos;{label}&apos;: missing column(s) {missing}. Expected: siret, direction (supply/demand or ressource/besoin), resource, quantity, unit, optional temperature_c, ewc_code, comment. Columns found: {present}.</source>
        <translation>Flux déclarés « {label} » : colonne(s) manquante(s) {missing}. Attendu : siret, direction (supply/demand ou ressource/besoin), resource, quantity, unit, et en option temperature_c, ewc_code, comment. Colonnes trouvées : {present}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="158"/>
        <source>Declared flows &apos;{}&apos;: the table has no rows.</source>
        <translation>Flux déclarés « {} » : la table n'a aucune ligne.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="179"/>
        <source>Line {line}: SIRET &apos;{value}&apos; must be 14 digits.</source>
        <translation>Ligne {line} : le SIRET « {value} » doit compter 14 chiffres.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="184"/>
        <source>Line {line}: direction &apos;{value}&apos; must be &apos;supply&apos; or &apos;demand&apos; (French: &apos;ressource&apos; or &apos;besoin&apos;).</source>
        <translation>Ligne {line} : le sens « {value} » doit être « ressource » ou « besoin » (en anglais « supply » ou « demand »).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="192"/>
        <source> (did you mean &apos;{}&apos;?)</source>
        <translation> (vouliez-vous dire « {} » ?)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="193"/>
        <source>Line {line}: unknown resource &apos;{value}&apos;{hint}. Use a code of taxonomy.csv (e.g. waste_heat, wood_waste, process_heat).</source>
        <translation>Ligne {line} : ressource inconnue « {value} »{hint}. Utilisez un code de taxonomy.csv (par exemple waste_heat, wood_waste, process_heat).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="198"/>
        <source>Line {line}: resource &apos;{code}&apos; can only be a {role}, not a {direction}. Declare what is needed with a demand code (e.g. solid_biomass_fuel, animal_feed) or what is given with a supply code.</source>
        <translation>Ligne {line} : la ressource « {code} » ne peut être que {role}, pas {direction}. Déclarez un besoin avec un code de besoin (par exemple solid_biomass_fuel, animal_feed) et une ressource disponible avec un code de ressource.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="205"/>
        <source>Line {line}: the quantity is missing.</source>
        <translation>Ligne {line} : la quantité manque.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="208"/>
        <source>Line {line}: quantity &apos;{value}&apos; is not a number.</source>
        <translation>Ligne {line} : la quantité « {value} » n'est pas un nombre.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="211"/>
        <source>Line {line}: quantity {value} is negative: give the yearly quantity as a positive number and the direction as supply or demand.</source>
        <translation>Ligne {line} : la quantité {value} est négative : donnez la quantité annuelle en nombre positif et le sens en ressource ou besoin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="215"/>
        <source>Line {line}: quantity is zero: leave the row out when there is no flow.</source>
        <translation>Ligne {line} : la quantité est nulle : supprimez la ligne quand il n'y a pas de flux.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="221"/>
        <source>Line {}</source>
        <translation>Ligne {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="227"/>
        <source>Line {line}: no unit given: the quantity is taken in {unit}.</source>
        <translation>Ligne {line} : aucune unité indiquée : la quantité est lue en {unit}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="232"/>
        <source>Line {line}: {value} {unit} a year is implausible for one establishment (more than {cap} {canonical}, beyond any single site in the world): check the quantity and the unit.</source>
        <translation>Ligne {line} : {value} {unit} par an est invraisemblable pour un seul établissement (plus de {cap} {canonical}, au-delà de tout site au monde) : vérifiez la quantité et l'unité.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="240"/>
        <source>Line {line}: temperature '{value}' is not a number (°C).</source>
        <translation>Ligne {line} : la température « {value} » n'est pas un nombre (°C).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="243"/>
        <source>Line {line}: temperature {value} °C is out of range (-50 to 1600 °C).</source>
        <translation>Ligne {line} : la température {value} °C est hors limites (-50 à 1600 °C).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="251"/>
        <source>Line {line}: duplicate of line {first} (same SIRET, direction and resource): ignored. Merge the two rows into one if both are real.</source>
        <translation>Ligne {line} : doublon de la ligne {first} (même SIRET, sens et ressource) : ignorée. Fusionnez les deux lignes si les deux sont réelles.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="261"/>
        <source>Line {line}: List-of-Waste code &apos;{value}&apos; is malformed (expected e.g. 02 05 01): the flow is kept without a code.</source>
        <translation>Ligne {line} : le code de la nomenclature des déchets « {value} » est mal formé (attendu par exemple 02 05 01) : le flux est gardé sans code.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="265"/>
        <source>Line {line}: &apos;{value}&apos; is not in the List of Waste: the flow is kept without a code.</source>
        <translation>Ligne {line} : « {value} » ne figure pas dans la nomenclature européenne des déchets : le flux est gardé sans code.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="286"/>
        <source>Declared flows &apos;{label}&apos;: no usable row ({n} rejected). First problems: {first}</source>
        <translation>Flux déclarés « {label} » : aucune ligne utilisable ({n} rejetées). Premiers problèmes : {first}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="318"/>
        <source>Line {line}: heat flow {flow} declared without temperature_c and no estimate to take it from: its temperature stays unknown.</source>
        <translation>Ligne {line} : le flux de chaleur {flow} est déclaré sans temperature_c et aucune estimation ne permet de la déduire : sa température reste inconnue.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="324"/>
        <source>declared</source>
        <translation>déclaré</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="324"/>
        <source>line {}</source>
        <translation>ligne {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="675"/>
        <source>{n} flows skipped: {q} without a positive quantity, {u} with an unknown resource, {p} without a position, {d} with a direction other than supply/demand, {m} below the minimum quantity, {dup} duplicate flow ids.</source>
        <translation>{n} flux écartés : {q} sans quantité positive, {u} avec une ressource inconnue, {p} sans position, {d} avec un sens autre que ressource/besoin, {m} sous la quantité minimale, {dup} identifiants de flux en double.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="682"/>
        <source>Unknown resource codes (not in taxonomy.csv): {}.</source>
        <translation>Codes de ressource inconnus (absents de taxonomy.csv) : {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="686"/>
        <source>No synergy possible: the flows hold {s} supplies and {d} demands (both are needed).</source>
        <translation>Aucune synergie possible : les flux comptent {s} ressources et {d} besoins (il faut les deux).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="697"/>
        <source>No compatible supply and demand within reach: no synergy found.</source>
        <translation>Aucune ressource et aucun besoin compatibles à portée : aucune synergie trouvée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="705"/>
        <source>Compatible pairs were found but none has a positive net benefit (value of the resource displaced minus transport): no synergy.</source>
        <translation>Des paires compatibles ont été trouvées mais aucune n'a de bénéfice net positif (valeur de la ressource substituée moins le transport) : aucune synergie.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="755"/>
        <source>{n} synergies allocated out of {c} candidate pairs ({a} alternatives kept).</source>
        <translation>{n} synergies retenues parmi {c} paires candidates ({a} alternatives conservées).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="758"/>
        <source>{} pairs attach to disconnected parts of the network: their distance is the straight line x detour factor (distance_kind = straight_fallback).</source>
        <translation>{} paires sont rattachées à des parties non connectées du réseau : leur distance est la distance à vol d'oiseau × le facteur de détour (distance_kind = straight_fallback).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="134"/>
        <source>Flows (eit:estimateflows)</source>
        <translation>Flux (eit:estimateflows)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="136"/>
        <source>Zones with housing heat demand (eit:zoneoverlay)</source>
        <translation>Zones avec les besoins de chaleur des logements (eit:zoneoverlay)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="139"/>
        <source>Network (roads or existing heat network)</source>
        <translation>Réseau (routes ou réseau de chaleur existant)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="141"/>
        <source>Kind of network</source>
        <translation>Type de réseau</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="141"/>
        <source>Automatic (heat network if its name or fields say so)</source>
        <translation>Automatique (réseau de chaleur si son nom ou ses champs l'indiquent)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="141"/>
        <source>Roads</source>
        <translation>Routes</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="141"/>
        <source>Existing heat network</source>
        <translation>Réseau de chaleur existant</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="145"/>
        <source>Maximum distance for every resource (m, 0 = taxonomy values)</source>
        <translation>Distance maximale pour toutes les ressources (m, 0 = valeurs de la taxonomie)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="148"/>
        <source>Minimum quantity of a flow and of a synergy (unit of the resource per year)</source>
        <translation>Quantité minimale d'un flux et d'une synergie (unité de la ressource par an)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="151"/>
        <source>Exclude exchanges within one company (same SIREN)</source>
        <translation>Exclure les échanges au sein d'une même entreprise (même SIREN)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="153"/>
        <source>Allow heat pumps for sources colder than the demand</source>
        <translation>Autoriser les pompes à chaleur pour les sources plus froides que le besoin</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="156"/>
        <source>Housing (points or polygons with a heat demand or dwellings field), used when ZONES carry no housing demand</source>
        <translation>Logements (points ou polygones avec un champ de besoin de chaleur ou de nombre de logements), utilisés quand ZONES ne porte pas les besoins des logements</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="160"/>
        <source>Existing heat network (in addition to a road NETWORK)</source>
        <translation>Réseau de chaleur existant (en plus d'un réseau routier NETWORK)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="163"/>
        <source>Temperature margin for direct heat use (K, empty = each rule&apos;s value)</source>
        <translation>Écart de température pour l'usage direct de la chaleur (K, vide = valeur de chaque règle)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="166"/>
        <source>Detour factor applied to straight-line distances</source>
        <translation>Facteur de détour appliqué aux distances à vol d'oiseau</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="169"/>
        <source>Nearest partners examined per flow and rule</source>
        <translation>Partenaires les plus proches examinés par flux et par règle</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="172"/>
        <source>Alternatives kept per supply</source>
        <translation>Alternatives conservées par ressource</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="180"/>
        <source>Maximum distance for {} (m, 0 = taxonomy values)</source>
        <translation>Distance maximale pour {} (m, 0 = valeurs de la taxonomie)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="183"/>
        <source>Resource taxonomy CSV (instead of the shipped one)</source>
        <translation>Taxonomie des ressources en CSV (à la place de celle fournie)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="183"/>
        <source>Compatibility rules CSV (instead of the shipped one)</source>
        <translation>Règles de compatibilité en CSV (à la place de celles fournies)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="183"/>
        <source>Emission factors CSV (instead of the shipped one)</source>
        <translation>Facteurs d'émission en CSV (à la place de ceux fournis)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="192"/>
        <source>Alternative synergies (not allocated)</source>
        <translation>Synergies alternatives (non retenues)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="196"/>
        <source>Alternatives</source>
        <translation>Alternatives</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="229"/>
        <source>HOUSING has neither a heat demand field ({}) nor a dwellings field ({}): add one of them.</source>
        <translation>HOUSING n'a ni champ de besoin de chaleur ({}) ni champ de nombre de logements ({}) : ajoutez l'un des deux.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="286"/>
        <source>The network layer has no line with at least two vertices: choose a line layer of roads or of the heat network.</source>
        <translation>La couche de réseau n'a aucune ligne d'au moins deux sommets : choisissez une couche de lignes des routes ou du réseau de chaleur.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="286"/>
        <source>No emission factors file: documented default factors are used for heat, trucks and electricity.</source>
        <translation>Pas de fichier de facteurs d'émission : les facteurs par défaut documentés sont utilisés pour la chaleur, les camions et l'électricité.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="352"/>
        <source>{} zones read; {} with a housing heat demand.</source>
        <translation>{} zones lues ; {} avec un besoin de chaleur des logements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="361"/>
        <source>{} housing features read as heat demands.</source>
        <translation>{} entités de logements lues comme besoins de chaleur.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="363"/>
        <source>HOUSING ignored: the zones already carry the housing heat demand (eit:zoneoverlay counted it).</source>
        <translation>HOUSING ignoré : les zones portent déjà le besoin de chaleur des logements (compté par eit:zoneoverlay).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="375"/>
        <source>NETWORK read as an existing heat network: {} nodes, {:.1f} km, {} connected parts. Heat exchanges between sites attached to it only pay for their connections.</source>
        <translation>NETWORK lu comme un réseau de chaleur existant : {} nœuds, {:.1f} km, {} parties connexes. Les échanges de chaleur entre sites raccordés ne paient que leurs raccordements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="380"/>
        <source>NETWORK read as roads: {} nodes, {:.1f} km, {} connected parts ({} small gaps bridged). Distances are measured along it.</source>
        <translation>NETWORK lu comme un réseau routier : {} nœuds, {:.1f} km, {} parties connexes ({} petites coupures raccordées). Les distances sont mesurées le long du réseau.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="388"/>
        <source>Existing heat network: {} nodes, {:.1f} km.</source>
        <translation>Réseau de chaleur existant : {} nœuds, {:.1f} km.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="417"/>
        <source>Outputs in EPSG:2154. {} synergies, {:.0f} t CO2 avoided per year.</source>
        <translation>Résultats en EPSG:2154. {} synergies, {:.0f} t de CO2 évitées par an.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="53"/>
        <source>The spreadsheet &apos;{}&apos; could not be read: {}</source>
        <translation>Le classeur « {} » n'a pas pu être lu : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="55"/>
        <source>The spreadsheet &apos;{}&apos; has no sheet QGIS can read.</source>
        <translation>Le classeur « {} » n'a aucune feuille lisible par QGIS.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="79"/>
        <source>Declared flows file not found: &apos;{}&apos;. Check the path.</source>
        <translation>Fichier des flux déclarés introuvable : « {} ». Vérifiez le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="128"/>
        <source>Tables (*.csv *.CSV *.txt *.xlsx *.ods *.xls);;All files (*)</source>
        <translation>Tableaux (*.csv *.CSV *.txt *.xlsx *.ods *.xls);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="134"/>
        <source>CSV files (*.csv *.CSV *.txt);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.CSV *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="137"/>
        <source>Flows</source>
        <translation>Flux</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="139"/>
        <source>Flows written</source>
        <translation>Flux écrits</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="140"/>
        <source>Establishments with flows</source>
        <translation>Établissements avec des flux</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="141"/>
        <source>Establishments without ratio</source>
        <translation>Établissements sans ratio</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="142"/>
        <source>Declared rows used</source>
        <translation>Lignes déclarées utilisées</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="143"/>
        <source>Declared rows rejected</source>
        <translation>Lignes déclarées rejetées</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="150"/>
        <source>The establishments layer (INPUT) could not be opened: check the layer or path.</source>
        <translation>La couche des établissements (INPUT) n'a pas pu être ouverte : vérifiez la couche ou le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="154"/>
        <source>Layer &apos;{}&apos; has neither &apos;headcount_est&apos; nor &apos;headcount_band&apos; (trancheEffectifsEtablissement): the estimate needs a headcount. Use the output of &apos;Import SIRENE establishments&apos;.</source>
        <translation>La couche « {} » n'a ni « headcount_est » ni « headcount_band » (trancheEffectifsEtablissement) : l'estimation a besoin d'un effectif. Utilisez le résultat de « Importer les établissements SIRENE ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="162"/>
        <source>Ratios read from &apos;{}&apos; ({} rows) instead of the shipped table.</source>
        <translation>Ratios lus dans « {} » ({} lignes) à la place de la table fournie.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="174"/>
        <source>{} establishments without SIRET were ignored.</source>
        <translation>{} établissements sans SIRET ont été ignorés.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="177"/>
        <source>The establishments layer &apos;{}&apos; has no feature with a SIRET.</source>
        <translation>La couche des établissements « {} » n'a aucune entité avec un SIRET.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="180"/>
        <source>{} establishments have no geometry: their flows are written without a position.</source>
        <translation>{} établissements n'ont pas de géométrie : leurs flux sont écrits sans position.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="203"/>
        <source>{} flows written in EPSG:2154 (Lambert-93).</source>
        <translation>{} flux écrits en EPSG:2154 (Lambert-93).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="95"/>
        <source>PLU zones with indicators (output of eit:zoneoverlay)</source>
        <translation>Zones du PLU avec indicateurs (résultat de eit:zoneoverlay)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="99"/>
        <source>Clusters (output of eit:detectclusters)</source>
        <translation>Groupements (résultat de eit:detectclusters)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="101"/>
        <source>Flows (output of eit:estimateflows), to check the statistical secret on totals</source>
        <translation>Flux (résultat de eit:estimateflows), pour vérifier le secret statistique sur les totaux</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="105"/>
        <source>Rules file (CSV; default: the shipped rules)</source>
        <translation>Fichier de règles (CSV ; par défaut : les règles fournies)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="109"/>
        <source>Number of recommendations</source>
        <translation>Nombre de recommandations</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="120"/>
        <source>ZONES is required: give the output of eit:zoneoverlay.</source>
        <translation>ZONES est obligatoire : donnez le résultat de eit:zoneoverlay.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="123"/>
        <source>Layer ZONES has no field &apos;zone_id&apos;: give the output of eit:zoneoverlay, not the raw zone_urba layer.</source>
        <translation>La couche ZONES n'a pas de champ « zone_id » : donnez le résultat de eit:zoneoverlay, pas la couche zone_urba brute.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="142"/>
        <source>No FLOWS given: cluster and business-park totals cannot be checked against the 85 % rule and are withheld in public mode.</source>
        <translation>Aucun FLOWS fourni : les totaux des groupements et des zones d'activités ne peuvent pas être vérifiés selon la règle des 85 % et sont masqués en mode public.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="145"/>
        <source>Rules: {}</source>
        <translation>Règles : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="153"/>
        <source>Cannot create the OUTPUT table.</source>
        <translation>Impossible de créer la table OUTPUT.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="156"/>
        <source>{} recommendations written ({}).</source>
        <translation>{} recommandations écrites ({}).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="160"/>
        <source>Public mode: statistical secret applied; {} recommendation(s) show withheld figures (n.d.*).</source>
        <translation>Mode public : secret statistique appliqué ; {} recommandation(s) comportent des chiffres masqués (n.d.*).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="163"/>
        <source>Internal mode: figures are not protected. Every row is marked &apos;{}&apos;.</source>
        <translation>Mode interne : les chiffres ne sont pas protégés. Chaque ligne est marquée « {} ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="109"/>
        <source>Establishments (optional, for jobs and NAF diversity)</source>
        <translation>Établissements (facultatif, pour les emplois et la diversité des NAF)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="112"/>
        <source>Housing (optional: dwelling points or residential polygons)</source>
        <translation>Logements (facultatif : points de logements ou polygones résidentiels)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="115"/>
        <source>Housing field: number of dwellings</source>
        <translation>Champ des logements : nombre de logements</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="118"/>
        <source>Housing field: heated floor area (m²)</source>
        <translation>Champ des logements : surface chauffée (m²)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="121"/>
        <source>Neighbouring zones: within this distance</source>
        <translation>Zones voisines : à moins de cette distance</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="123"/>
        <source>Compatibility rules (optional CSV, overrides the shipped one)</source>
        <translation>Règles de compatibilité (CSV facultatif, remplace celui fourni)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="126"/>
        <source>Housing assumptions (optional CSV, overrides the shipped one)</source>
        <translation>Hypothèses sur les logements (CSV facultatif, remplace celui fourni)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="132"/>
        <source>Zones with EIT indicators</source>
        <translation>Zones avec indicateurs EIT</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="134"/>
        <source>Commune and EPCI totals</source>
        <translation>Totaux par commune et par EPCI</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="147"/>
        <source>ZONES: the zone layer could not be opened.</source>
        <translation>ZONES : la couche des zones n'a pas pu être ouverte.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="149"/>
        <source>FLOWS: the flow layer could not be opened.</source>
        <translation>FLOWS : la couche des flux n'a pas pu être ouverte.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="156"/>
        <source>Reading the zones…</source>
        <translation>Lecture des zones…</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="358"/>
        <source>The zone layer &apos;{}&apos; has no feature.</source>
        <translation>La couche des zones « {} » n'a aucune entité.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="161"/>
        <source>{} zones read (computation and outputs in EPSG:2154).</source>
        <translation>{} zones lues (calcul et résultats en EPSG:2154).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="163"/>
        <source>Reading the flows…</source>
        <translation>Lecture des flux…</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="264"/>
        <source>{} flows have no geometry: they are counted as outside every zone.</source>
        <translation>{} flux n'ont pas de géométrie : ils sont comptés hors de toute zone.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="265"/>
        <source>{} flows: {} in a zone, {} outside every zone, {} in several zones (shared boundary or overlapping zones: counted once, in the first zone by zone_id).</source>
        <translation>{} flux : {} dans une zone, {} hors de toute zone, {} dans plusieurs zones (limite commune ou zones superposées : comptés une fois, dans la première zone par zone_id).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="269"/>
        <source>{} flows lie outside every zone: they are left out of the zone totals and counted on their nearest zone (field n_flows_unzoned).</source>
        <translation>{} flux sont hors de toute zone : ils sont exclus des totaux par zone et comptés sur la zone la plus proche (champ n_flows_unzoned).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="186"/>
        <source>Finding neighbouring zones (touching or within {} m)…</source>
        <translation>Recherche des zones voisines (contiguës ou à moins de {} m)…</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="281"/>
        <source>{} urban zones have no coded destination (DESTDOMI/FORMDOMI/DESTOUI): no housing is estimated there. Give a HOUSING layer to count their dwellings.</source>
        <translation>{} zones urbaines n'ont pas de destination codée (DESTDOMI/FORMDOMI/DESTOUI) : aucun logement n'y est estimé. Donnez une couche HOUSING pour compter leurs logements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="287"/>
        <source>EIT potential: {} high, {} medium, {} low, {} none.</source>
        <translation>Potentiel EIT : {} élevé, {} moyen, {} faible, {} nul.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="291"/>
        <source>resources/reference/communes_epci.csv not found: communes only, no EPCI totals.</source>
        <translation>resources/reference/communes_epci.csv introuvable : communes seulement, pas de totaux par EPCI.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="243"/>
        <source>HOUSING layer &apos;{layer}&apos; has no field with a number of dwellings ({dw}) or a heated floor area ({area}). Choose the fields in HOUSING_DWELLINGS_FIELD / HOUSING_AREA_FIELD.</source>
        <translation>La couche HOUSING « {layer} » n'a pas de champ de nombre de logements ({dw}) ni de surface chauffée ({area}). Choisissez les champs dans HOUSING_DWELLINGS_FIELD / HOUSING_AREA_FIELD.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="247"/>
        <source>Housing fields used: {}.</source>
        <translation>Champs des logements utilisés : {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="254"/>
        <source>{} housing features lie outside every zone and are not counted.</source>
        <translation>{} entités de logements sont hors de toute zone et ne sont pas comptées.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="215"/>
        <source>Input fields replaced by the computed indicators: {}.</source>
        <translation>Champs d'entrée remplacés par les indicateurs calculés : {}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="218"/>
        <source>OUTPUT: the output layer could not be created.</source>
        <translation>OUTPUT : la couche de résultat n'a pas pu être créée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/declared.py" line="270"/>
        <source>Line {line}: List-of-Waste code &apos;{value}&apos; is not in the shipped partial list: check it. The code is kept as written.</source>
        <translation>Ligne {line} : le code de la nomenclature des déchets « {value} » ne figure pas dans la liste partielle fournie : vérifiez-le. Le code est conservé tel quel.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="77"/>
        <source>Public mode: figures covered by the statistical secret are withheld (n.d.).</source>
        <translation>Mode public : les chiffres couverts par le secret statistique sont masqués (n.d.).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="62"/>
        <source>waste heat recovery</source>
        <translation>récupération de chaleur fatale</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="62"/>
        <source>substitution (by-product as input)</source>
        <translation>substitution (coproduit utilisé comme intrant)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="63"/>
        <source>heat for housing</source>
        <translation>chaleur pour les logements</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="63"/>
        <source>cascade</source>
        <translation>cascade</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="64"/>
        <source>pooling</source>
        <translation>mutualisation</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="64"/>
        <source>exchange</source>
        <translation>échange</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="65"/>
        <source>PLU regulations (règlement)</source>
        <translation>règlement du PLU</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="65"/>
        <source>PLU OAP</source>
        <translation>OAP du PLU</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="66"/>
        <source>PLU reserved site (emplacement réservé)</source>
        <translation>emplacement réservé du PLU</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="67"/>
        <source>SCoT DOO</source>
        <translation>DOO du SCoT</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="67"/>
        <source>business-park charter</source>
        <translation>charte de zone d'activités</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="68"/>
        <source>high</source>
        <translation>élevé</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="68"/>
        <source>medium</source>
        <translation>moyen</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="68"/>
        <source>low</source>
        <translation>faible</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="68"/>
        <source>none</source>
        <translation>nul</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="69"/>
        <source>supply (available)</source>
        <translation>ressource (disponible)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="69"/>
        <source>demand (need)</source>
        <translation>besoin</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="70"/>
        <source>declared (survey)</source>
        <translation>déclaré (enquête)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="70"/>
        <source>estimated (NAF ratios)</source>
        <translation>estimé (ratios NAF)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="71"/>
        <source>straight line</source>
        <translation>à vol d'oiseau</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="71"/>
        <source>along the network</source>
        <translation>le long du réseau</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="72"/>
        <source>straight line (network not connected)</source>
        <translation>à vol d'oiseau (réseau non connecté)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="139"/>
        <source>Statistical secret:</source>
        <translation>Secret statistique :</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Supplier</source>
        <translation>Fournisseur</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Receiver</source>
        <translation>Receveur</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Resource supplied</source>
        <translation>Ressource fournie</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="149"/>
        <source>Need covered</source>
        <translation>Besoin couvert</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/explain.py" line="191"/>
        <source>Sources</source>
        <translation>Sources</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="108"/>
        <source>Current PLU zones (CNIG zone_urba)</source>
        <translation>Zones du PLU en vigueur (CNIG zone_urba)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="110"/>
        <source>Scenario zone layers (same schema)</source>
        <translation>Couches de zones des scénarios (même schéma)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="112"/>
        <source>Scenario names, separated by &apos;;&apos; (default: the layer names)</source>
        <translation>Noms des scénarios, séparés par « ; » (par défaut : les noms des couches)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="130"/>
        <source>Zone compatibility rules overriding the shipped file (CSV)</source>
        <translation>Règles de compatibilité des zones remplaçant le fichier fourni (CSV)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="137"/>
        <source>Comparison (scenario × indicator)</source>
        <translation>Comparaison (scénario × indicateur)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="139"/>
        <source>Synergies and clusters gained or lost</source>
        <translation>Synergies et groupements gagnés ou perdus</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="147"/>
        <source>Zones whose indicators change</source>
        <translation>Zones dont les indicateurs changent</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="148"/>
        <source>Report section (HTML)</source>
        <translation>Section du rapport (HTML)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="146"/>
        <source>Scenarios compared</source>
        <translation>Scénarios comparés</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="161"/>
        <source>SCENARIOS: give at least one scenario zone layer.</source>
        <translation>SCENARIOS : donnez au moins une couche de zones de scénario.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="164"/>
        <source>FLOWS: the flow layer could not be opened (use the output of eit:estimateflows).</source>
        <translation>FLOWS : la couche des flux n'a pas pu être ouverte (utilisez le résultat de eit:estimateflows).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="184"/>
        <source>Scenario {} of {}: {}</source>
        <translation>Scénario {} sur {} : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="195"/>
        <source>Comparing the scenarios with the current zoning…</source>
        <translation>Comparaison des scénarios avec le zonage en vigueur…</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="241"/>
        <source>Outputs written in EPSG:2154.</source>
        <translation>Résultats écrits en EPSG:2154.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="305"/>
        <source>SCENARIO_NAMES: {} names for {} scenario layers; give one name per scenario (optionally the current zoning&apos;s first), separated by &apos;;&apos;.</source>
        <translation>SCENARIO_NAMES : {} noms pour {} couches de scénario ; donnez un nom par scénario (éventuellement celui du zonage en vigueur en premier), séparés par « ; ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="346"/>
        <source>HOUSING layer &apos;{}&apos; has no field with a number of dwellings ({}) or a heated floor area.</source>
        <translation>La couche HOUSING « {} » n'a pas de champ de nombre de logements ({}) ni de surface chauffée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="354"/>
        <source>HOUSING: {} planned dwellings ({} features with a status projet/prévu) left out: the zones' planned dwellings (nb_logements_prevus) replace them.</source>
        <translation>HOUSING : {} logements prévus ({} entités au statut projet/prévu) écartés : les logements prévus des zones (nb_logements_prevus) les remplacent.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="372"/>
        <source>Scenario &apos;{}&apos;: the zone layer has no feature.</source>
        <translation>Scénario « {} » : la couche de zones n'a aucune entité.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="380"/>
        <source>Scenario {}: {} planned activities ({} jobs) → {} estimated flows.</source>
        <translation>Scénario {} : {} activités prévues ({} emplois) → {} flux estimés.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="399"/>
        <source>Scenario {}: planned dwellings are read from the zones but existing ones are unknown (no HOUSING layer, no nb_logements field): existing housing counts 0.</source>
        <translation>Scénario {} : les logements prévus sont lus dans les zones mais les logements existants sont inconnus (ni couche HOUSING, ni champ nb_logements) : les logements existants comptent pour 0.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="439"/>
        <source>Scenario {}: {} synergies ({} MWh/yr recovered, {} MWh/yr for housing), {} clusters.</source>
        <translation>Scénario {} : {} synergies ({} MWh/an valorisés, dont {} MWh/an pour les logements), {} groupements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="472"/>
        <source>Could not write the work file {}: {}</source>
        <translation>Impossible d'écrire le fichier de travail {} : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="543"/>
        <source>{}: the output could not be created.</source>
        <translation>{} : le résultat n'a pas pu être créé.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/base.py" line="212"/>
        <source>Unexpected error in {alg}: {error}. This is a bug of the EIT plugin, not of your data: please report it with the log (the technical details are in the debug log).</source>
        <translation>Erreur inattendue dans {alg} : {error}. C'est un défaut de l'extension EIT, pas de vos données : signalez-le avec le journal (les détails techniques sont dans le journal de débogage).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/matching.py" line="545"/>
        <source>{} candidate pairs in very large connected groups were allocated greedily (best benefit first) instead of by linear programming.</source>
        <translation>{} paires candidates appartenant à de très grands groupes connexes ont été attribuées par une méthode gloutonne (meilleur bénéfice d'abord) plutôt que par programmation linéaire.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="93"/>
        <source>Road network (lines) for trucked wastes and materials</source>
        <translation>Réseau routier (lignes) pour les déchets et matières transportés par camion</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="96"/>
        <source>Existing heat network (lines): connecting to it counts only the distance to it</source>
        <translation>Réseau de chaleur existant (lignes) : s'y raccorder ne compte que la distance jusqu'au réseau</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="14"/>
        <source>Heat recovered</source>
        <translation>Chaleur récupérée</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="14"/>
        <source>MWh/yr</source>
        <translation>MWh/an</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="15"/>
        <source>CO₂ avoided</source>
        <translation>CO₂ évité</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="16"/>
        <source>t/yr</source>
        <translation>t/an</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="16"/>
        <source>Waste diverted from disposal</source>
        <translation>Déchets détournés de l'élimination</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="17"/>
        <source>PM10 avoided</source>
        <translation>PM10 évitées</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="18"/>
        <source>kg/yr</source>
        <translation>kg/an</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="18"/>
        <source>NOx avoided</source>
        <translation>NOx évités</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="19"/>
        <source>Truck kilometres avoided by pooling</source>
        <translation>Kilomètres de camion évités par la mutualisation</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="19"/>
        <source>km/yr</source>
        <translation>km/an</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="20"/>
        <source>Land for shared facilities</source>
        <translation>Foncier pour les équipements partagés</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="20"/>
        <source>m²</source>
        <translation>m²</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="39"/>
        <source>n.d. (statistical secret)</source>
        <translation>n.d. (secret statistique)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/summary.py" line="68"/>
        <source>{} establishments analysed in {} PLU zones</source>
        <translation>{} établissements analysés dans {} zones du PLU</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="9"/>
        <source>The PLU zones in the CNIG zone_urba standard (fields IDURBA, LIBELLE, TYPEZONE). Indicators, EIT potential and recommendations are given per zone.</source>
        <translation>Les zones du PLU au standard CNIG zone_urba (champs IDURBA, LIBELLE, TYPEZONE). Indicateurs, potentiel EIT et recommandations sont donnés par zone.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="11"/>
        <source>Use a points layer of establishments already in the project (SIRENE points with SIRET, NAF code and headcount band). Closed establishments (state F) are left out.</source>
        <translation>Utiliser une couche de points d'établissements déjà dans le projet (points SIRENE avec SIRET, code NAF et tranche d'effectifs). Les établissements fermés (état F) sont écartés.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="13"/>
        <source>Points with a SIRET, a NAF code and a headcount band (or headcount). Closed establishments (state F) are left out, as in the SIRENE import.</source>
        <translation>Points avec un SIRET, un code NAF et une tranche d'effectifs (ou un effectif). Les établissements fermés (état F) sont écartés, comme à l'import SIRENE.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="15"/>
        <source>Read the INSEE SIRENE files directly (StockEtablissement, and the geolocation file when the coordinates are there). Closed establishments are left out.</source>
        <translation>Lire directement les fichiers SIRENE de l'INSEE (StockEtablissement, et le fichier de géolocalisation quand les coordonnées y sont). Les établissements fermés sont écartés.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="17"/>
        <source>The INSEE StockEtablissement file (CSV), whole or extracted for the territory.</source>
        <translation>Le fichier StockEtablissement de l'INSEE (CSV), complet ou extrait pour le territoire.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="18"/>
        <source>The INSEE GeolocalisationEtablissement file (siret;x;y;epsg…), needed when the stock file has no coordinates.</source>
        <translation>Le fichier GeolocalisationEtablissement de l'INSEE (siret;x;y;epsg…), nécessaire quand le fichier stock n'a pas de coordonnées.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="20"/>
        <source>Flows declared by companies (survey, CSV or XLSX: siret, direction, resource, quantity, unit…). They replace the estimates for those establishments.</source>
        <translation>Flux déclarés par les entreprises (enquête, CSV ou XLSX : siret, direction, resource, quantity, unit…). Ils remplacent les estimations pour ces établissements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="22"/>
        <source>Dwelling points or residential polygons with a number of dwellings: housing heat demand that waste heat could serve.</source>
        <translation>Points de logements ou polygones résidentiels avec un nombre de logements : besoin de chaleur des logements que la chaleur fatale pourrait couvrir.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="24"/>
        <source>Road lines: distances for trucked wastes and materials are measured along them (straight lines otherwise).</source>
        <translation>Lignes de voirie : les distances des déchets et matières transportés par camion sont mesurées le long de ce réseau (à vol d'oiseau sinon).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="26"/>
        <source>An existing district heating network: a heat source only needs to reach it.</source>
        <translation>Un réseau de chaleur existant : une source de chaleur n'a qu'à le rejoindre.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="27"/>
        <source>Polygons of the territory to study: establishments outside are left out. Empty: every establishment of the input.</source>
        <translation>Polygones du territoire étudié : les établissements hors de ces polygones sont écartés. Vide : tous les établissements en entrée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="29"/>
        <source>Choose again the project&apos;s layers recognised by their fields.</source>
        <translation>Choisir à nouveau les couches du projet reconnues par leurs champs.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="30"/>
        <source>Two establishments closer than this can share a collection or a facility (pooling cluster).</source>
        <translation>Deux établissements plus proches que cette distance peuvent partager une collecte ou un équipement (groupe de mutualisation).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="32"/>
        <source>Upper bound on the supplier–receiver distance of a synergy. 'per resource': each resource's own distance (heat is not carried as far as wood).</source>
        <translation>Distance maximale entre fournisseur et receveur d'une synergie. « selon la ressource » : la distance propre à chaque ressource (la chaleur ne se transporte pas aussi loin que le bois).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="35"/>
        <source>Fewest establishments for a pooling cluster to be proposed.</source>
        <translation>Nombre minimal d'établissements pour proposer un groupe de mutualisation.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="36"/>
        <source>Public document: the statistical secret is applied (each published figure covers at least 3 establishments, none above 85 %); establishments and flows are not written. Internal work: every figure, confidential.</source>
        <translation>Document public : le secret statistique est appliqué (chaque chiffre publié couvre au moins 3 établissements, aucun au-delà de 85 %) ; établissements et flux ne sont pas écrits. Travail interne : tous les chiffres, confidentiels.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="39"/>
        <source>Language of the report (HTML and PDF).</source>
        <translation>Langue du rapport (HTML et PDF).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="40"/>
        <source>Folder where each run writes its GeoPackage and report, named by date and time.</source>
        <translation>Dossier où chaque analyse écrit son GeoPackage et son rapport, nommés par date et heure.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="42"/>
        <source>Run the whole analysis (eit:fullanalysis) in the background; QGIS stays usable.</source>
        <translation>Lancer toute l'analyse (eit:fullanalysis) en arrière-plan ; QGIS reste utilisable.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="43"/>
        <source>Stop the running analysis: nothing is written.</source>
        <translation>Arrêter l'analyse en cours : rien n'est écrit.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="44"/>
        <source>Then click a feature of an EIT layer on the map: its explanation is shown here.</source>
        <translation>Cliquez ensuite sur une entité d'une couche EIT sur la carte : son explication s'affiche ici.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="45"/>
        <source>Open the HTML report of the last run in the web browser.</source>
        <translation>Ouvrir le rapport HTML de la dernière analyse dans le navigateur.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="46"/>
        <source>Load the result GeoPackage of an earlier run.</source>
        <translation>Charger le GeoPackage de résultats d'une analyse précédente.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="47"/>
        <source>Best synergies first; select one to zoom to it and read why it is proposed.</source>
        <translation>Les meilleures synergies d'abord ; sélectionnez-en une pour zoomer dessus et lire pourquoi elle est proposée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="48"/>
        <source>Largest clusters first; select one to zoom to it.</source>
        <translation>Les plus grands groupes d'abord ; sélectionnez-en un pour zoomer dessus.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/tooltips.py" line="49"/>
        <source>Most urgent first; select one to see the zones it is about.</source>
        <translation>Les plus urgentes d'abord ; sélectionnez-en une pour voir les zones concernées.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="209"/>
        <source>{} closed establishments (state F) left out, as the SIRENE import does.</source>
        <translation>{} établissements fermés (état F) écartés, comme à l'import SIRENE.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="94"/>
        <source>{n} establishments have a NAF code that covers different kinds of plants: profile settled by declared or registered data for {s}, read from the name for {m}, most likely one assumed for {p} (their confidence is lowered; see ratio_source).</source>
        <translation>{n} établissements ont un code NAF qui recouvre des installations de natures différentes : profil établi par les données déclarées ou des registres pour {s}, lu dans le nom pour {m}, le plus probable supposé pour {p} (leur confiance est abaissée ; voir ratio_source).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="245"/>
        <source>profile</source>
        <translation>profil</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/estimation.py" line="245"/>
        <source>alternatives: {}</source>
        <translation>alternatives : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/housing.py" line="135"/>
        <source>Census table &apos;{label}&apos;: expected a commune code column (insee or CODGEO) and a dwelling count column (dwellings, logements or P21_LOG); columns found: {cols}.</source>
        <translation>Table du recensement « {label} » : une colonne de code commune (insee ou CODGEO) et une colonne de nombre de logements (dwellings, logements ou P21_LOG) sont attendues ; colonnes trouvées : {cols}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/profiles.py" line="117"/>
        <source>line {line}: NAF code '{code}' is not a NAF rév. 2 code.</source>
        <translation>ligne {line} : le code NAF « {code} » n'est pas un code NAF rév. 2.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/profiles.py" line="122"/>
        <source>line {line}: profile &apos;{code}&apos; must be lower-case letters, digits and &apos;_&apos;.</source>
        <translation>ligne {line} : le profil « {code} » ne doit contenir que des minuscules, des chiffres et « _ ».</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="71"/>
        <source>Registers ({label}, year {years}): {sites} sites, {matched} matched to the establishments by SIRET; {used} registered flows used, {replaced} estimated flows replaced.</source>
        <translation>Registres ({label}, année {years}) : {sites} sites, {matched} rapprochés des établissements par SIRET ; {used} flux déclarés aux registres utilisés, {replaced} flux estimés remplacés.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="76"/>
        <source>{} register quantities are &apos;&lt; seuil&apos; (below the reporting threshold): kept as unknown, the estimate of that resource stays.</source>
        <translation>{} quantités des registres sont « &lt; seuil » (sous le seuil de déclaration) : gardées inconnues, l'estimation de cette ressource est conservée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="80"/>
        <source>Registered waste under List-of-Waste codes no resource of taxonomy.csv lists, left out: {}. Add the codes to a resource&apos;s ewc_codes to use them.</source>
        <translation>Déchets déclarés sous des codes de la liste des déchets qu'aucune ressource de taxonomy.csv ne reprend, écartés : {}. Ajoutez ces codes aux ewc_codes d'une ressource pour les utiliser.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="84"/>
        <source>no SIRET</source>
        <translation>sans SIRET</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="85"/>
        <source>{n} register sites have no SIRET among the establishments (outside the territory or SIRET changed): {sites}.</source>
        <translation>{n} sites des registres n'ont pas de SIRET parmi les établissements (hors du territoire ou SIRET modifié) : {sites}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="88"/>
        <source>{} matched sites lie more than 2 km from their register coordinates: the SIRENE position was kept (register coordinates are often approximate).</source>
        <translation>{} sites rapprochés sont à plus de 2 km de leurs coordonnées du registre : la position SIRENE est conservée (les coordonnées des registres sont souvent approximatives).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="137"/>
        <source>Register file or folder not found: '{}'. Give the unzipped folder or the zip of one year of the Géorisques IREP data.</source>
        <translation>Fichier ou dossier de registre introuvable : « {} ». Donnez le dossier décompressé ou le zip d'une année des données IREP de Géorisques.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="151"/>
        <source>Registers '{}': no etablissements.csv found. Give the folder (or zip) of one year of the Géorisques IREP data, as published.</source>
        <translation>Registres « {} » : aucun etablissements.csv trouvé. Donnez le dossier (ou le zip) d'une année des données IREP de Géorisques, tel que publié.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="183"/>
        <source>Registers &apos;{label}&apos;: {file} has no column {col}; columns found: {found}.</source>
        <translation>Registres « {label} » : {file} n'a pas de colonne {col} ; colonnes trouvées : {found}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="286"/>
        <source>waste production by List-of-Waste code</source>
        <translation>production de déchets par code de la liste des déchets</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/registers.py" line="293"/>
        <source>water withdrawals</source>
        <translation>prélèvements d'eau</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/sirene_csv.py" line="134"/>
        <source>The file &apos;{}&apos; cannot be read from line {} (a quote that opens there may not be closed): {}. Check the quotes on that line.</source>
        <translation>Le fichier « {} » ne peut pas être lu à partir de la ligne {} (un guillemet ouvert là n'est peut-être pas fermé) : {}. Vérifiez les guillemets de cette ligne.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/sirene_report.py" line="198"/>
        <source>Line {start}: a quote (&quot;) opens and is not closed before line {end}: lines {start} to {end} were read as one row and {lost} rows are lost. Fix the quote on line {start} and run again.</source>
        <translation>Ligne {start} : un guillemet (&quot;) s'ouvre et n'est pas fermé avant la ligne {end} : les lignes {start} à {end} ont été lues comme une seule ligne et {lost} lignes sont perdues. Corrigez le guillemet de la ligne {start} et relancez.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="175"/>
        <source>Candidate search inside PostGIS (FLOWS from a PostGIS connection)</source>
        <translation>Recherche des candidats dans PostGIS (FLOWS depuis une connexion PostGIS)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="320"/>
        <source>Candidate search in PostGIS: {} queries, {:.1f} s.</source>
        <translation>Recherche des candidats dans PostGIS : {} requêtes, {:.1f} s.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_detect_synergies.py" line="330"/>
        <source>SEARCH_IN_DATABASE needs FLOWS from a PostGIS connection; this FLOWS layer is not in a database: leave the option off.</source>
        <translation>SEARCH_IN_DATABASE demande des FLOWS issus d'une connexion PostGIS ; cette couche FLOWS n'est pas dans une base : laissez l'option désactivée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="79"/>
        <source>Registers: one year of Géorisques IREP files (zip, or a file of the folder)</source>
        <translation>Registres : une année des fichiers IREP de Géorisques (zip, ou un fichier du dossier)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="131"/>
        <source>IREP data (*.zip *.csv);;All files (*)</source>
        <translation>Données IREP (*.zip *.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_estimate_flows.py" line="144"/>
        <source>Registered flows used</source>
        <translation>Flux des registres utilisés</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="129"/>
        <source>Census dwellings per commune (optional CSV: insee, dwellings)</source>
        <translation>Logements du recensement par commune (CSV facultatif : insee, dwellings)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="109"/>
        <source>Print layout of the report&apos;s maps (.qpt; default: the plugin&apos;s)</source>
        <translation>Mise en page des cartes du rapport (.qpt ; par défaut : celle de l'extension)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="109"/>
        <source>QGIS layout templates (*.qpt)</source>
        <translation>Modèles de mise en page QGIS (*.qpt)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="126"/>
        <source>Also write the result into this PostgreSQL connection</source>
        <translation>Écrire aussi le résultat dans cette connexion PostgreSQL</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="128"/>
        <source>Schema of the result (a schema of its own)</source>
        <translation>Schéma du résultat (un schéma qui lui est propre)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="130"/>
        <source>Replace the EIT result already in that schema</source>
        <translation>Remplacer le résultat EIT déjà présent dans ce schéma</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="132"/>
        <source>PostgreSQL schema written</source>
        <translation>Schéma PostgreSQL écrit</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="156"/>
        <source>OUTPUT_DB is given without OUTPUT_SCHEMA: name the schema of the result.</source>
        <translation>OUTPUT_DB est donné sans OUTPUT_SCHEMA : nommez le schéma du résultat.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_full_analysis.py" line="203"/>
        <source>Result written into the schema {} of {}</source>
        <translation>Résultat écrit dans le schéma {} de {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="269"/>
        <source>{label}: {count} rows (line (SIRET): {examples}).</source>
        <translation>{label} : {count} lignes (ligne (SIRET) : {examples}).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="276"/>
        <source>No establishment was kept: see the reasons above.</source>
        <translation>Aucun établissement n'a été retenu : voir les raisons ci-dessus.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="289"/>
        <source>&apos;{}&apos; is a spreadsheet: save it as CSV (File &gt; Save as &gt; CSV UTF-8, comma or semicolon separated) and give the .csv file. SIRENE columns are read by name.</source>
        <translation>« {} » est un classeur : enregistrez-le en CSV (Fichier &gt; Enregistrer sous &gt; CSV UTF-8, séparateur virgule ou point-virgule) et donnez le fichier .csv. Les colonnes SIRENE sont lues par leur nom.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_import_establishments.py" line="300"/>
        <source>&apos;{}&apos; is not a point layer ({}): give establishments as points, or the SIRENE CSV file.</source>
        <translation>« {} » n'est pas une couche de points ({}) : donnez les établissements sous forme de points, ou le fichier CSV SIRENE.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="275"/>
        <source>{share:.0f} % of the flows are outside every zone (median distance to the nearest zone {km:.1f} km): the zone figures leave them out. Check that ZONES and FLOWS cover the same territory (and the CRS of both).</source>
        <translation>{share:.0f} % des flux sont hors de toute zone (distance médiane à la zone la plus proche {km:.1f} km) : les chiffres par zone les ignorent. Vérifiez que ZONES et FLOWS couvrent le même territoire (et le SCR des deux).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_zone_overlay.py" line="284"/>
        <source>Housing of {} zones scaled to the census dwelling count of their commune.</source>
        <translation>Logements de {} zones ajustés au nombre de logements du recensement de leur commune.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="67"/>
        <source>{name} = &apos;{value}&apos; is not a number: give the number alone (e.g. 500), in the unit the parameter names ({label}).</source>
        <translation>{name} = « {value} » n'est pas un nombre : donnez le nombre seul (par ex. 500), dans l'unité indiquée par le paramètre ({label}).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="70"/>
        <source>{name} = &apos;{value}&apos; is not a finite number.</source>
        <translation>{name} = « {value} » n'est pas un nombre fini.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="72"/>
        <source>{name} = {value}: a whole number is expected.</source>
        <translation>{name} = {value} : un nombre entier est attendu.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="75"/>
        <source>at least {}</source>
        <translation>au moins {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="75"/>
        <source>between {} and {}</source>
        <translation>entre {} et {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="78"/>
        <source>{name} = {value} is out of range: it must be {allowed} ({why}).</source>
        <translation>{name} = {value} est hors limites : il doit être {allowed} ({why}).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="78"/>
        <source>{name} = {value} is out of range: it must be {allowed}.</source>
        <translation>{name} = {value} est hors limites : il doit être {allowed}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="142"/>
        <source>{name}: file not found: &apos;{path}&apos;. Check the path.</source>
        <translation>{name} : fichier introuvable : « {path} ». Vérifiez le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="148"/>
        <source>{name}: &apos;{path}&apos; has no layer &apos;{layer}&apos;. Its layers are: {names}.</source>
        <translation>{name} : « {path} » n'a pas de couche « {layer} ». Ses couches sont : {names}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="162"/>
        <source>{name}: &apos;{path}&apos; is not a layer QGIS can open (a spreadsheet? save it as CSV, or give a GeoPackage/shapefile).</source>
        <translation>{name} : « {path} » n'est pas une couche que QGIS sait ouvrir (un classeur ? enregistrez-le en CSV, ou donnez un GeoPackage ou un shapefile).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="168"/>
        <source>{name}: &apos;{layer}&apos; is a {found} layer; {name} needs {wanted} geometries: {what}.</source>
        <translation>{name} : « {layer} » est une couche de type {found} ; {name} demande des géométries {wanted} : {what}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="173"/>
        <source>{name}: the layer &apos;{layer}&apos; has no feature (empty layer or a filter that keeps nothing).</source>
        <translation>{name} : la couche « {layer} » n'a aucune entité (couche vide ou filtre qui ne garde rien).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="192"/>
        <source>{name}: &apos;{layer}&apos; has no CRS (a shapefile without its .prj?) and its coordinates look like degrees ({box}). Set its CRS (e.g. EPSG:4326) in the layer properties or add the .prj, and run again.</source>
        <translation>{name} : « {layer} » n'a pas de SCR (un shapefile sans son .prj ?) et ses coordonnées ressemblent à des degrés ({box}). Définissez son SCR (par ex. EPSG:4326) dans les propriétés de la couche ou ajoutez le .prj, puis relancez.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="196"/>
        <source>{name}: &apos;{layer}&apos; has no CRS; its coordinates fit Lambert-93 and are taken as EPSG:2154.</source>
        <translation>{name} : « {layer} » n'a pas de SCR ; ses coordonnées correspondent au Lambert-93 et sont lues en EPSG:2154.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="198"/>
        <source>{name}: &apos;{layer}&apos; has no CRS and its coordinates ({box}) are neither degrees nor Lambert-93. Set its CRS in the layer properties and run again.</source>
        <translation>{name} : « {layer} » n'a pas de SCR et ses coordonnées ({box}) ne sont ni des degrés ni du Lambert-93. Définissez son SCR dans les propriétés de la couche et relancez.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="203"/>
        <source>{name}: &apos;{layer}&apos; declares {crs} (metres) but its coordinates look like degrees ({box}): if they are longitudes/latitudes, set its CRS to EPSG:4326, or nothing will match.</source>
        <translation>{name} : « {layer} » déclare {crs} (mètres) mais ses coordonnées ressemblent à des degrés ({box}) : si ce sont des longitudes/latitudes, mettez son SCR en EPSG:4326, sinon rien ne correspondra.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/checks.py" line="207"/>
        <source>{name}: &apos;{layer}&apos; declares {crs} (degrees) but its coordinates are not degrees ({box}). Set the right CRS (e.g. EPSG:2154) and run again.</source>
        <translation>{name} : « {layer} » déclare {crs} (degrés) mais ses coordonnées ne sont pas des degrés ({box}). Définissez le bon SCR (par ex. EPSG:2154) et relancez.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="142"/>
        <source>{out} would overwrite the input {inp} (&apos;{path}&apos;): an input is never written. Choose another file for {out}; nothing was done.</source>
        <translation>{out} écraserait l'entrée {inp} (« {path} ») : une entrée n'est jamais modifiée. Choisissez un autre fichier pour {out} ; rien n'a été fait.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="153"/>
        <source>no write permission</source>
        <translation>pas de droit d'écriture</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="155"/>
        <source>the folder does not exist</source>
        <translation>le dossier n'existe pas</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="157"/>
        <source>the disk is full</source>
        <translation>le disque est plein</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="159"/>
        <source>the file is in use (open in QGIS or another program?)</source>
        <translation>le fichier est utilisé (ouvert dans QGIS ou un autre programme ?)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="202"/>
        <source>{name}: cannot write into &apos;{folder}&apos;: &apos;{probe}&apos; is not a folder.</source>
        <translation>{name} : impossible d'écrire dans « {folder} » : « {probe} » n'est pas un dossier.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="208"/>
        <source>{name}: the folder &apos;{folder}&apos; does not exist and cannot be created ({why}). Create it or choose another folder; nothing was done.</source>
        <translation>{name} : le dossier « {folder} » n'existe pas et ne peut pas être créé ({why}). Créez-le ou choisissez un autre dossier ; rien n'a été fait.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="216"/>
        <source>{name}: cannot write into the folder &apos;{folder}&apos; ({why}). Choose a folder you can write to; nothing was done.</source>
        <translation>{name} : impossible d'écrire dans le dossier « {folder} » ({why}). Choisissez un dossier accessible en écriture ; rien n'a été fait.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="250"/>
        <source>{name}: &apos;{path}&apos; could not be written ({why}). Nothing was changed: close the file if it is open and run again.</source>
        <translation>{name} : « {path} » n'a pas pu être écrit ({why}). Rien n'a été modifié : fermez le fichier s'il est ouvert et relancez.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="250"/>
        <source>output</source>
        <translation>sortie</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="277"/>
        <source>{name}: &apos;{path}&apos; is a folder; give a file name.</source>
        <translation>{name} : « {path} » est un dossier ; donnez un nom de fichier.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/outputs.py" line="279"/>
        <source>{name}: &apos;{path}&apos; exists and is read-only: it is not replaced. Choose another file or make it writable; nothing was done.</source>
        <translation>{name} : « {path} » existe et est en lecture seule : il n'est pas remplacé. Choisissez un autre fichier ou rendez-le modifiable ; rien n'a été fait.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="85"/>
        <source>The PostgreSQL provider of QGIS is not available in this installation.</source>
        <translation>Le fournisseur PostgreSQL de QGIS n'est pas disponible dans cette installation.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="98"/>
        <source>No PostgreSQL connection given.</source>
        <translation>Aucune connexion PostgreSQL n'est donnée.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="103"/>
        <source>connection &apos;{}&apos;</source>
        <translation>connexion « {} »</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="105"/>
        <source>No saved PostgreSQL connection named '{name}'. Saved connections: {names}. Create it in the Browser (PostgreSQL &gt; New Connection) or give a data source URI (host=… dbname=… authcfg=…).</source>
        <translation>Aucune connexion PostgreSQL enregistrée ne s'appelle « {name} ». Connexions enregistrées : {names}. Créez-la dans l'Explorateur (PostgreSQL &gt; Nouvelle connexion) ou donnez une URI de source de données (host=… dbname=… authcfg=…).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="111"/>
        <source>The PostgreSQL data source '{}' names no database (dbname=…).</source>
        <translation>La source de données PostgreSQL « {} » ne nomme aucune base (dbname=…).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="160"/>
        <source>Cannot open the PostgreSQL connection {}: {}</source>
        <translation>Impossible d'ouvrir la connexion PostgreSQL {} : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="177"/>
        <source>PostgreSQL refused the credentials for {place}: {reason}. Check the user and password of the connection, or its authentication configuration (Settings &gt; Options &gt; Authentication).</source>
        <translation>PostgreSQL a refusé les identifiants pour {place} : {reason}. Vérifiez l'utilisateur et le mot de passe de la connexion, ou sa configuration d'authentification (Préférences &gt; Options &gt; Authentification).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="181"/>
        <source>PostgreSQL ({place}): {reason}. Check the database name of the connection.</source>
        <translation>PostgreSQL ({place}) : {reason}. Vérifiez le nom de la base de la connexion.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="183"/>
        <source>Cannot reach the PostgreSQL server of {place}: {reason}. Check the host, the port and that the server accepts connections from this computer (VPN, firewall).</source>
        <translation>Impossible de joindre le serveur PostgreSQL de {place} : {reason}. Vérifiez l'hôte, le port et que le serveur accepte les connexions de cet ordinateur (VPN, pare-feu).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="190"/>
        <source>PostgreSQL error on {place}: {error}</source>
        <translation>Erreur PostgreSQL sur {place} : {error}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="202"/>
        <source>The database {db} of {place} has no PostGIS extension. Ask its administrator to run CREATE EXTENSION postgis; in that database.</source>
        <translation>La base {db} de {place} n'a pas l'extension PostGIS. Demandez à son administrateur d'exécuter CREATE EXTENSION postgis; dans cette base.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="252"/>
        <source>&apos;{}&apos; is not a usable schema name for a result: lower-case letters, digits and _ (up to 51 characters, not starting with a digit), e.g. eit_public_2026.</source>
        <translation>« {} » n'est pas un nom de schéma utilisable pour un résultat : minuscules, chiffres et _ (51 caractères au plus, sans chiffre au début), par ex. eit_public_2026.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="256"/>
        <source>The schema &apos;{}&apos; is shared with other data: a result takes a schema of its own (e.g. eit_public).</source>
        <translation>Le schéma « {} » est partagé avec d'autres données : un résultat prend un schéma qui lui est propre (par ex. eit_public).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="261"/>
        <source>The role {user} may not create schemas in the database {db} ({place}): the result is written into a new schema, then switched in. Ask the administrator: GRANT CREATE ON DATABASE {db} TO {user};</source>
        <translation>Le rôle {user} ne peut pas créer de schéma dans la base {db} ({place}) : le résultat est écrit dans un nouveau schéma, puis basculé. Demandez à l'administrateur : GRANT CREATE ON DATABASE {db} TO {user};</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="269"/>
        <source>The role {user} may not store the default styles of the layers in layer_styles ({place}). Ask the administrator to create that table (QGIS does it on the first style saved by a role allowed to) and to grant INSERT, UPDATE, DELETE on it to {user}.</source>
        <translation>Le rôle {user} ne peut pas enregistrer les styles par défaut des couches dans layer_styles ({place}). Demandez à l'administrateur de créer cette table (QGIS le fait au premier style enregistré par un rôle qui en a le droit) et d'accorder INSERT, UPDATE, DELETE sur celle-ci à {user}.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="278"/>
        <source>The schema &apos;{schema}&apos; already exists and holds tables that are not an EIT result ({tables}): they are never replaced. Choose another schema name.</source>
        <translation>Le schéma « {schema} » existe déjà et contient des tables qui ne sont pas un résultat EIT ({tables}) : elles ne sont jamais remplacées. Choisissez un autre nom de schéma.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="287"/>
        <source>The schema &apos;{schema}&apos; already holds an EIT result ({n} tables: {tables}). Set REPLACE to replace it or choose another schema name.</source>
        <translation>Le schéma « {schema} » contient déjà un résultat EIT ({n} tables : {tables}). Activez REPLACE pour le remplacer ou choisissez un autre nom de schéma.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="292"/>
        <source>The schema &apos;{schema}&apos; belongs to the role {owner}, not to {user}: a result replaces its whole schema. Choose another schema name or ask the administrator: ALTER SCHEMA {schema} OWNER TO {user};</source>
        <translation>Le schéma « {schema} » appartient au rôle {owner}, pas à {user} : un résultat remplace tout son schéma. Choisissez un autre nom de schéma ou demandez à l'administrateur : ALTER SCHEMA {schema} OWNER TO {user};</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="349"/>
        <source>Could not copy the layer &apos;{table}&apos; into PostgreSQL ({place}): {error}</source>
        <translation>Impossible de copier la couche « {table} » dans PostgreSQL ({place}) : {error}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="349"/>
        <source>unknown GDAL error</source>
        <translation>erreur GDAL inconnue</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="369"/>
        <source>Cancelled by the user: nothing was written into PostgreSQL.</source>
        <translation>Annulé par l'utilisateur : rien n'a été écrit dans PostgreSQL.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="370"/>
        <source>PostgreSQL: copying {} ({}/{})</source>
        <translation>PostgreSQL : copie de {} ({}/{})</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="416"/>
        <source>The default style of &apos;{table}&apos; could not be stored in layer_styles ({place}): {error}. Ask the administrator to create the layer_styles table (QGIS creates it on the first style saved by a role allowed to) and to grant INSERT, UPDATE, DELETE on it.</source>
        <translation>Le style par défaut de « {table} » n'a pas pu être enregistré dans layer_styles ({place}) : {error}. Demandez à l'administrateur de créer la table layer_styles (QGIS la crée au premier style enregistré par un rôle qui en a le droit) et d'accorder INSERT, UPDATE, DELETE sur celle-ci.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis_search.py" line="143"/>
        <source>The table {} has no spatial index and none could be created: {}</source>
        <translation>La table {} n'a pas d'index spatial et aucun n'a pu être créé : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/zones.py" line="419"/>
        <source>not valid for GEOS (e.g. a ring that crosses itself)</source>
        <translation>non valide pour GEOS (par ex. un anneau qui se recoupe)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/clustering.py" line="816"/>
        <source>{group}: {n} establishment(s) above {cap} {unit}/yr have their own full-truck service and are left out of the pooling.</source>
        <translation>{group} : {n} établissement(s) au-delà de {cap} {unit}/an ont leur propre service par camion complet et sont écartés de la mutualisation.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="541"/>
        <source>Statistical-secret audit: {} figures published, {} withheld ({} by secondary suppression), {} geometries generalised, {} texts checked, {} violation(s).</source>
        <translation>Contrôle du secret statistique : {} chiffres publiés, {} masqués ({} par secret secondaire), {} géométries généralisées, {} textes vérifiés, {} infraction(s).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="126"/>
        <source>The public output failed the statistical-secret audit ({} violation(s)); it is not complete and must not be published. First ones: {}</source>
        <translation>Le résultat public n'a pas passé le contrôle du secret statistique ({} infraction(s)) ; il est incomplet et ne doit pas être publié. Premières : {}</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="138"/>
        <source>Report audit: {} texts checked, {} violation(s).</source>
        <translation>Contrôle du rapport : {} textes vérifiés, {} infraction(s).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="282"/>
        <source>The schema &apos;{}&apos; holds a public EIT result</source>
        <translation>Le schéma « {} » contient un résultat EIT public</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="282"/>
        <source>The schema &apos;{}&apos; holds an internal (confidential) EIT result</source>
        <translation>Le schéma « {} » contient un résultat EIT interne (confidentiel)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/postgis.py" line="284"/>
        <source>{}: public and internal results never share a schema. Choose another schema name.</source>
        <translation>{} : résultats publics et internes ne partagent jamais un schéma. Choisissez un autre nom de schéma.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.py" line="420"/>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <location filename="../eit_plugin/core/sirene_csv.py" line="84"/>
        <source>&apos;{}&apos; is encoded in UTF-16 (Excel&apos;s &quot;Unicode text&quot;): save it as CSV UTF-8 (or Windows-1252) and run again.</source>
        <translation>« {} » est encodé en UTF-16 (« Texte Unicode » d&apos;Excel) : enregistrez-le en CSV UTF-8 (ou Windows-1252) et relancez.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="273"/>
        <source>Public mode: {} figures of the comparison withheld (statistical secret); changed synergies and clusters without names, SIRETs or quantities.</source>
        <translation>Mode public : {} chiffres de la comparaison masqués (secret statistique) ; synergies et groupements modifiés sans noms, SIRET ni quantités.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="296"/>
        <source>Statistical-secret audit: {} texts checked, {} violation(s).</source>
        <translation>Contrôle du secret statistique : {} textes vérifiés, {} infraction(s).</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_compare_scenarios.py" line="436"/>
        <source>Scenario {}: {} synergies, {} clusters.</source>
        <translation>Scénario {} : {} synergies, {} groupements.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/alg_recommendations.py" line="176"/>
        <source>Statistical-secret audit: {} texts checked, {} violation(s), {} figure(s) to check by hand.</source>
        <translation>Contrôle du secret statistique : {} textes vérifiés, {} infraction(s), {} chiffre(s) à vérifier à la main.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="187"/>
        <source>{}: the layer &apos;{}&apos; could not be opened: check the layer or path.</source>
        <translation>{} : la couche « {} » n&apos;a pas pu être ouverte : vérifiez la couche ou le chemin.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/chain.py" line="252"/>
        <source>No establishment with a SIRET: nothing to estimate.</source>
        <translation>Aucun établissement avec un SIRET : rien à estimer.</translation>
    </message>
</context>
<context>
    <name>EitDockBase</name>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="14"/>
        <source>Industrial ecology (EIT)</source>
        <translation>Écologie industrielle (EIT)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="33"/>
        <source>1. Data</source>
        <translation>1. Données</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="39"/>
        <source>Layers recognised in the project are pre-selected; any layer can be chosen instead.</source>
        <translation>Les couches reconnues dans le projet sont présélectionnées ; vous pouvez en choisir d'autres.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="45"/>
        <source>PLU zones (CNIG zone_urba)</source>
        <translation>Zones du PLU (CNIG zone_urba)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="53"/>
        <source>Establishments from a layer of the project</source>
        <translation>Établissements depuis une couche du projet</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="59"/>
        <source>Establishments (SIRENE points)</source>
        <translation>Établissements (points SIRENE)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="67"/>
        <source>Establishments from SIRENE files</source>
        <translation>Établissements depuis les fichiers SIRENE</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="72"/>
        <source>SIRENE StockEtablissement (CSV)</source>
        <translation>SIRENE StockEtablissement (CSV)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="80"/>
        <source>Geolocation file (CSV, optional)</source>
        <translation>Fichier de géolocalisation (CSV, facultatif)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="88"/>
        <source>Declared flows (surveys, optional)</source>
        <translation>Flux déclarés (enquêtes, facultatif)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="96"/>
        <source>Housing (optional)</source>
        <translation>Logements (facultatif)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="120"/>
        <source>Territory to keep (optional)</source>
        <translation>Territoire à conserver (facultatif)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="128"/>
        <source>Detect layers again</source>
        <translation>Détecter à nouveau les couches</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="136"/>
        <source>2. Parameters</source>
        <translation>2. Paramètres</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="142"/>
        <source>Pooling distance between members</source>
        <translation>Distance de mutualisation entre membres</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="162"/>
        <source> m</source>
        <translation> m</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="157"/>
        <source>Maximum synergy distance</source>
        <translation>Distance maximale des synergies</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="172"/>
        <source>Minimum members of a cluster</source>
        <translation>Nombre minimal de membres d'un groupement</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="184"/>
        <source>Use of the results</source>
        <translation>Usage des résultats</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="192"/>
        <source>Report language</source>
        <translation>Langue du rapport</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="200"/>
        <source>Output folder</source>
        <translation>Dossier des résultats</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="306"/>
        <source>Run the analysis</source>
        <translation>Lancer l'analyse</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="312"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="324"/>
        <source>Ready.</source>
        <translation>Prêt.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="215"/>
        <source>No analysis yet.</source>
        <translation>Pas encore d'analyse.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="226"/>
        <source>Synergies</source>
        <translation>Synergies</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="236"/>
        <source>Clusters</source>
        <translation>Groupements</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="246"/>
        <source>Recommendations</source>
        <translation>Recommandations</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="261"/>
        <source>Select a synergy, a cluster or a recommendation, or use &quot;Explain a feature&quot; and click on the map.</source>
        <translation>Sélectionnez une synergie, un groupement ou une recommandation, ou utilisez « Expliquer une entité » et cliquez sur la carte.</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="269"/>
        <source>Explain a feature</source>
        <translation>Expliquer une entité</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="275"/>
        <source>Open the report</source>
        <translation>Ouvrir le rapport</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="280"/>
        <source>Load results…</source>
        <translation>Charger des résultats…</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="167"/>
        <source>per resource</source>
        <translation>selon la ressource</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="104"/>
        <source>Road network (optional)</source>
        <translation>Réseau routier (facultatif)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="112"/>
        <source>Existing heat network (optional)</source>
        <translation>Réseau de chaleur existant (facultatif)</translation>
    </message>
    <message>
        <location filename="../eit_plugin/gui/dock.ui" line="211"/>
        <source>3. Results</source>
        <translation>3. Résultats</translation>
    </message>
</context>
</TS>
