<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis labelsEnabled="1" version="3.22.16-Białowieża" styleCategories="Symbology|Labeling">
  <renderer-v2 type="RuleRenderer" referencescale="-1" enableorderby="0" forceraster="0" symbollevels="0">
    <rules key="{9f51d4d6-0c70-460a-8b13-564f985fe3fd}">
      <rule filter="&quot;kind&quot; = 'exchange'" scalemaxdenom="100000" symbol="0" label="Réseau d'échanges (à partir du 1:100 000)" key="{40e1d09d-541b-4b98-8866-e16d8422b948}"/>
      <rule filter="coalesce(&quot;kind&quot;, '') &lt;> 'exchange'" scalemaxdenom="150000" symbol="1" label="Mutualisation (collecte ou équipement partagé) : à partir du 1:150 000" key="{8dd172a7-a6cb-44b1-8eef-321ac1381e0a}"/>
    </rules>
    <symbols>
      <symbol type="fill" force_rhr="0" clip_to_extent="1" alpha="1" name="0">
        <data_defined_properties>
          <Option type="Map">
            <Option type="QString" name="name" value=""/>
            <Option name="properties"/>
            <Option type="QString" name="type" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option type="QString" name="border_width_map_unit_scale" value="3x:0,0,0,0,0,0"/>
            <Option type="QString" name="color" value="230,85,13,0"/>
            <Option type="QString" name="joinstyle" value="bevel"/>
            <Option type="QString" name="offset" value="0,0"/>
            <Option type="QString" name="offset_map_unit_scale" value="3x:0,0,0,0,0,0"/>
            <Option type="QString" name="offset_unit" value="MM"/>
            <Option type="QString" name="outline_color" value="230,85,13,255"/>
            <Option type="QString" name="outline_style" value="dash"/>
            <Option type="QString" name="outline_width" value="0.3"/>
            <Option type="QString" name="outline_width_unit" value="MM"/>
            <Option type="QString" name="style" value="no"/>
          </Option>
          <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="color" v="230,85,13,0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="offset" v="0,0"/>
          <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="outline_color" v="230,85,13,255"/>
          <prop k="outline_style" v="dash"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="no"/>
          <data_defined_properties>
            <Option type="Map">
              <Option type="QString" name="name" value=""/>
              <Option name="properties"/>
              <Option type="QString" name="type" value="collection"/>
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
      <symbol type="fill" force_rhr="0" clip_to_extent="1" alpha="1" name="1">
        <data_defined_properties>
          <Option type="Map">
            <Option type="QString" name="name" value=""/>
            <Option name="properties"/>
            <Option type="QString" name="type" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option type="QString" name="border_width_map_unit_scale" value="3x:0,0,0,0,0,0"/>
            <Option type="QString" name="color" value="106,61,154,15"/>
            <Option type="QString" name="joinstyle" value="bevel"/>
            <Option type="QString" name="offset" value="0,0"/>
            <Option type="QString" name="offset_map_unit_scale" value="3x:0,0,0,0,0,0"/>
            <Option type="QString" name="offset_unit" value="MM"/>
            <Option type="QString" name="outline_color" value="106,61,154,255"/>
            <Option type="QString" name="outline_style" value="solid"/>
            <Option type="QString" name="outline_width" value="0.4"/>
            <Option type="QString" name="outline_width_unit" value="MM"/>
            <Option type="QString" name="style" value="solid"/>
          </Option>
          <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="color" v="106,61,154,15"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="offset" v="0,0"/>
          <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="outline_color" v="106,61,154,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="solid"/>
          <data_defined_properties>
            <Option type="Map">
              <Option type="QString" name="name" value=""/>
              <Option name="properties"/>
              <Option type="QString" name="type" value="collection"/>
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="if(&quot;kind&quot; = 'exchange', NULL, if(left(coalesce(@qgis_locale, 'fr'), 2) = 'fr', coalesce(&quot;action_fr&quot;, if(&quot;kind&quot; = 'exchange', 'Réseau d''échanges', 'Mutualisation') || ' : ' || replace(coalesce(&quot;resources&quot;, ''), map('aggregates', 'Granulats', 'agrifood_byproducts', 'Coproduits et déchets agroalimentaires', 'animal_bedding', 'Litière animale', 'animal_byproducts', 'Sous-produits animaux (dont effluents d''élevage)', 'animal_feed', 'Alimentation animale', 'asphalt_feedstock', 'Granulats et liant pour enrobés', 'backfill_material', 'Remblai (remise en état de carrière)', 'bark', 'Écorces', 'biodiesel_feedstock', 'Matières premières de biodiesel', 'biogas', 'Biogaz', 'cement', 'Ciment', 'cement_raw_material', 'Matières premières du cru de cimenterie', 'clinker_substitute', 'Substitut de clinker (laitier moulu...)', 'co2_feedstock', 'CO2 (serres, boissons)', 'co2_offgas', 'CO2 de procédé (fermentation, ammoniac)', 'compost', 'Compost', 'composting_feedstock', 'Intrants de compostage', 'cooling', 'Froid (absorption)', 'crumb_rubber_feedstock', 'Granulats de caoutchouc', 'cullet', 'Calcin (verre recyclé)', 'digestate', 'Digestat de méthanisation', 'distillery_feedstock', 'Marcs et lies (distillerie)', 'domestic_hot_water', 'Eau chaude sanitaire', 'drying_heat', 'Chaleur de séchage (bois, céréales, boues)', 'electricity', 'Électricité', 'fgd_gypsum', 'Gypse de désulfuration des fumées', 'fly_ash', 'Cendres volantes de charbon', 'food_aid', 'Aide alimentaire (denrées données)', 'food_waste', 'Biodéchets alimentaires', 'former_foodstuffs', 'Anciennes denrées alimentaires (invendus de biscuiterie, boulangerie)', 'foundry_sand', 'Sables de fonderie', 'gas_fuel', 'Combustible gazeux', 'glass_waste', 'Déchets de verre', 'green_waste', 'Déchets verts', 'gypsum_feedstock', 'Gypse (plâtre, régulateur de prise)', 'hydrogen_byproduct', 'Hydrogène fatal (chlore-alcali)', 'hydrogen_fuel', 'Hydrogène (combustible, procédé)', 'incinerator_bottom_ash', 'Mâchefers d''incinération', 'inert_construction', 'Déchets inertes du BTP', 'insulation_fibre', 'Fibres pour isolants', 'iron_ore_substitute', 'Substitut de minerai de fer (agglomération)', 'irrigation_water', 'Eau d''irrigation', 'lime_sludge', 'Écumes et boues calcaires (sucrerie, papeterie)', 'low_temp_heat', 'Chaleur basse température (&lt; 40 °C)', 'manure_slurry', 'Effluents d''élevage (fumier, lisier)', 'metal_scrap', 'Ferrailles et métaux', 'methanisation_feedstock', 'Intrants de méthanisation', 'mill_scale', 'Calamine (oxydes de laminage)', 'mixed_waste', 'Déchets non dangereux en mélange', 'nonpotable_water', 'Eau non potable (lavage, refroidissement, arrosage)', 'oil_regeneration_feedstock', 'Huiles à régénérer', 'organic_amendment', 'Amendement organique', 'paper_cardboard', 'Papiers et cartons', 'paper_sludge', 'Boues de papeterie (désencrage, fibres)', 'pellet_feedstock', 'Matière première de granulés de bois', 'petfood_raw_material', 'Matières premières des aliments pour animaux de compagnie', 'plasterboard_waste', 'Déchets de plâtre (plaques)', 'plastic_waste', 'Déchets plastiques', 'process_gas', 'Gaz de procédé (gaz sidérurgiques, gaz de synthèse)', 'process_heat', 'Chaleur de procédé', 'reclaimed_asphalt', 'Agrégats d''enrobés', 'recovered_sulphur', 'Soufre de désulfuration', 'recycled_fibre', 'Fibres recyclées (papeterie)', 'recycled_plastic', 'Matière plastique recyclée', 'reducing_agent', 'Agent réducteur (haut fourneau)', 'reusable_process_water', 'Eaux de process réutilisables', 'sawdust', 'Sciures et copeaux', 'scrap_metal_feed', 'Ferrailles (charge de four)', 'sewage_sludge', 'Boues d''épuration', 'slag', 'Laitiers et scories', 'solid_biomass_fuel', 'Combustible biomasse solide', 'solvent_regeneration_feedstock', 'Solvants à régénérer', 'solvents', 'Solvants usagés', 'space_heating', 'Chauffage des locaux', 'spent_pickling_acid', 'Acides de décapage usés', 'spent_yeast_biomass', 'Levures et biomasse de fermentation', 'sulphur_feedstock', 'Soufre (acide sulfurique)', 'tannery_raw_hides', 'Peaux brutes (tannerie)', 'textile_waste', 'Déchets textiles', 'treated_wastewater', 'Eaux usées traitées', 'tyres', 'Pneumatiques usagés', 'unsold_food', 'Invendus alimentaires consommables', 'used_cooking_oil', 'Huiles alimentaires usagées', 'vehicle_gas_fuel', 'Carburant gaz (bioGNV)', 'waste_fuel', 'Combustible de substitution (CSR, déchets)', 'waste_heat', 'Chaleur fatale', 'waste_oil', 'Huiles usagées', 'water_treatment_reagent', 'Réactif de traitement des eaux (coagulant)', 'wood_ash', 'Cendres de biomasse (bois)', 'wood_raw_material', 'Bois matière (panneaux, palettes)', 'wood_waste', 'Déchets de bois'))) || ' (' || &quot;n_members&quot; || ' membres)', coalesce(&quot;action_en&quot;, if(&quot;kind&quot; = 'exchange', 'Exchange network', 'Pooling') || ': ' || replace(coalesce(&quot;resources&quot;, ''), map('aggregates', 'Aggregates', 'agrifood_byproducts', 'Agri-food by-products', 'animal_bedding', 'Animal bedding', 'animal_byproducts', 'Animal by-products (incl. manure)', 'animal_feed', 'Animal feed', 'asphalt_feedstock', 'Asphalt-mix raw materials', 'backfill_material', 'Backfill (quarry restoration)', 'bark', 'Bark', 'biodiesel_feedstock', 'Biodiesel feedstock', 'biogas', 'Biogas', 'cement', 'Cement', 'cement_raw_material', 'Cement raw meal components', 'clinker_substitute', 'Clinker substitute (ground slag...)', 'co2_feedstock', 'CO2 (greenhouses, beverages)', 'co2_offgas', 'Process CO2 (fermentation, ammonia)', 'compost', 'Compost', 'composting_feedstock', 'Composting feedstock', 'cooling', 'Cooling (absorption)', 'crumb_rubber_feedstock', 'Crumb-rubber feedstock', 'cullet', 'Cullet (recycled glass)', 'digestate', 'Anaerobic digestate', 'distillery_feedstock', 'Grape marc and lees (distillery)', 'domestic_hot_water', 'Domestic hot water', 'drying_heat', 'Drying heat (timber, grain, sludge)', 'electricity', 'Electricity', 'fgd_gypsum', 'Flue-gas desulphurisation gypsum', 'fly_ash', 'Coal fly ash', 'food_aid', 'Food aid (donated food)', 'food_waste', 'Food waste', 'former_foodstuffs', 'Former foodstuffs (bakery, confectionery returns)', 'foundry_sand', 'Foundry sand', 'gas_fuel', 'Gaseous fuel', 'glass_waste', 'Glass waste', 'green_waste', 'Green waste', 'gypsum_feedstock', 'Gypsum feedstock', 'hydrogen_byproduct', 'By-product hydrogen (chlor-alkali)', 'hydrogen_fuel', 'Hydrogen (fuel, feedstock)', 'incinerator_bottom_ash', 'Incinerator bottom ash', 'inert_construction', 'Inert construction waste', 'insulation_fibre', 'Fibre for insulation products', 'iron_ore_substitute', 'Iron-ore substitute (sinter)', 'irrigation_water', 'Irrigation water', 'lime_sludge', 'Lime sludge (sugar, paper)', 'low_temp_heat', 'Low-temperature heat (&lt; 40 °C)', 'manure_slurry', 'Manure and slurry', 'metal_scrap', 'Metal scrap', 'methanisation_feedstock', 'Anaerobic digestion feedstock', 'mill_scale', 'Mill scale', 'mixed_waste', 'Mixed non-hazardous waste', 'nonpotable_water', 'Non-potable water (washing, cooling, irrigation)', 'oil_regeneration_feedstock', 'Waste oil for re-refining', 'organic_amendment', 'Organic amendment', 'paper_cardboard', 'Paper and cardboard', 'paper_sludge', 'Paper-mill sludge', 'pellet_feedstock', 'Wood-pellet feedstock', 'petfood_raw_material', 'Pet-food raw material', 'plasterboard_waste', 'Plasterboard waste', 'plastic_waste', 'Plastic waste', 'process_gas', 'Process gas (steelworks gases, syngas)', 'process_heat', 'Process heat', 'reclaimed_asphalt', 'Reclaimed asphalt', 'recovered_sulphur', 'Recovered sulphur', 'recycled_fibre', 'Recycled fibre (paper mill)', 'recycled_plastic', 'Recycled plastic', 'reducing_agent', 'Reducing agent (blast furnace)', 'reusable_process_water', 'Reusable process water', 'sawdust', 'Sawdust and shavings', 'scrap_metal_feed', 'Scrap metal feed', 'sewage_sludge', 'Sewage sludge', 'slag', 'Slag', 'solid_biomass_fuel', 'Solid biomass fuel', 'solvent_regeneration_feedstock', 'Solvents for regeneration', 'solvents', 'Spent solvents', 'space_heating', 'Space heating', 'spent_pickling_acid', 'Spent pickling acid', 'spent_yeast_biomass', 'Spent yeast and fermentation biomass', 'sulphur_feedstock', 'Sulphur feedstock', 'tannery_raw_hides', 'Raw hides (tannery)', 'textile_waste', 'Textile waste', 'treated_wastewater', 'Treated wastewater', 'tyres', 'End-of-life tyres', 'unsold_food', 'Unsold edible food', 'used_cooking_oil', 'Used cooking oil', 'vehicle_gas_fuel', 'Vehicle gas fuel (bio-CNG)', 'waste_fuel', 'Waste-derived fuel (SRF, waste)', 'waste_heat', 'Waste heat', 'waste_oil', 'Waste oil', 'water_treatment_reagent', 'Water-treatment reagent (coagulant)', 'wood_ash', 'Wood and biomass ash', 'wood_raw_material', 'Wood raw material (panels, pallets)', 'wood_waste', 'Wood waste'))) || ' (' || &quot;n_members&quot; || ' members)'))" fontWeight="75" useSubstitutions="0" capitalization="0" fontSizeMapUnitScale="3x:0,0,0,0,0,0" textOrientation="horizontal" legendString="Aa" textColor="63,0,125,255" fontSize="8" fontUnderline="0" fontStrikeout="0" fontLetterSpacing="0" textOpacity="1" blendMode="0" fontItalic="0" fontWordSpacing="0" fontSizeUnit="Point" previewBkgrdColor="255,255,255,255" fontKerning="1" fontFamily="Sans Serif" allowHtml="0" isExpression="1" namedStyle="" multilineHeight="1">
        <families/>
        <text-buffer bufferJoinStyle="128" bufferSize="0.80000000000000004" bufferSizeMapUnitScale="3x:0,0,0,0,0,0" bufferDraw="1" bufferBlendMode="0" bufferNoFill="1" bufferColor="255,255,255,255" bufferOpacity="1" bufferSizeUnits="MM"/>
        <text-mask maskOpacity="1" maskedSymbolLayers="" maskSizeUnits="MM" maskJoinStyle="128" maskType="0" maskSizeMapUnitScale="3x:0,0,0,0,0,0" maskEnabled="0" maskSize="1.5"/>
        <background shapeDraw="0" shapeRadiiX="0" shapeOpacity="1" shapeRadiiY="0" shapeOffsetMapUnitScale="3x:0,0,0,0,0,0" shapeFillColor="255,255,255,255" shapeBorderWidth="0" shapeSizeMapUnitScale="3x:0,0,0,0,0,0" shapeRadiiMapUnitScale="3x:0,0,0,0,0,0" shapeBorderWidthUnit="MM" shapeRotationType="0" shapeSVGFile="" shapeJoinStyle="64" shapeBorderColor="128,128,128,255" shapeBorderWidthMapUnitScale="3x:0,0,0,0,0,0" shapeRotation="0" shapeType="0" shapeOffsetUnit="MM" shapeRadiiUnit="MM" shapeOffsetX="0" shapeSizeX="0" shapeOffsetY="0" shapeSizeY="0" shapeBlendMode="0" shapeSizeUnit="MM" shapeSizeType="0">
          <symbol type="fill" force_rhr="0" clip_to_extent="1" alpha="1" name="fillSymbol">
            <data_defined_properties>
              <Option type="Map">
                <Option type="QString" name="name" value=""/>
                <Option name="properties"/>
                <Option type="QString" name="type" value="collection"/>
              </Option>
            </data_defined_properties>
            <layer class="SimpleFill" enabled="1" locked="0" pass="0">
              <Option type="Map">
                <Option type="QString" name="border_width_map_unit_scale" value="3x:0,0,0,0,0,0"/>
                <Option type="QString" name="color" value="255,255,255,255"/>
                <Option type="QString" name="joinstyle" value="bevel"/>
                <Option type="QString" name="offset" value="0,0"/>
                <Option type="QString" name="offset_map_unit_scale" value="3x:0,0,0,0,0,0"/>
                <Option type="QString" name="offset_unit" value="MM"/>
                <Option type="QString" name="outline_color" value="128,128,128,255"/>
                <Option type="QString" name="outline_style" value="no"/>
                <Option type="QString" name="outline_width" value="0"/>
                <Option type="QString" name="outline_width_unit" value="MM"/>
                <Option type="QString" name="style" value="solid"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="255,255,255,255"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="128,128,128,255"/>
              <prop k="outline_style" v="no"/>
              <prop k="outline_width" v="0"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option type="QString" name="name" value=""/>
                  <Option name="properties"/>
                  <Option type="QString" name="type" value="collection"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </background>
        <shadow shadowRadiusMapUnitScale="3x:0,0,0,0,0,0" shadowRadiusAlphaOnly="0" shadowOffsetUnit="MM" shadowOffsetGlobal="1" shadowUnder="0" shadowOpacity="0.69999999999999996" shadowColor="0,0,0,255" shadowDraw="0" shadowOffsetMapUnitScale="3x:0,0,0,0,0,0" shadowRadius="1.5" shadowScale="100" shadowOffsetAngle="135" shadowBlendMode="6" shadowOffsetDist="1" shadowRadiusUnit="MM"/>
        <dd_properties>
          <Option type="Map">
            <Option type="QString" name="name" value=""/>
            <Option name="properties"/>
            <Option type="QString" name="type" value="collection"/>
          </Option>
        </dd_properties>
        <substitutions/>
      </text-style>
      <text-format placeDirectionSymbol="0" plussign="0" formatNumbers="0" rightDirectionSymbol=">" multilineAlign="3" reverseDirectionSymbol="0" useMaxLineLengthForAutoWrap="1" decimals="3" wrapChar="" autoWrapLength="28" leftDirectionSymbol="&lt;" addDirectionSymbol="0"/>
      <placement placementFlags="10" rotationUnit="AngleDegrees" rotationAngle="0" yOffset="0" xOffset="0" overrunDistanceMapUnitScale="3x:0,0,0,0,0,0" overrunDistance="0" geometryGeneratorEnabled="0" layerType="UnknownGeometry" labelOffsetMapUnitScale="3x:0,0,0,0,0,0" lineAnchorClipping="0" placement="4" repeatDistanceMapUnitScale="3x:0,0,0,0,0,0" lineAnchorPercent="0.5" geometryGenerator="" maxCurvedCharAngleIn="25" geometryGeneratorType="PointGeometry" preserveRotation="1" distMapUnitScale="3x:0,0,0,0,0,0" quadOffset="4" centroidInside="0" maxCurvedCharAngleOut="-25" overrunDistanceUnit="MM" polygonPlacementFlags="2" distUnits="MM" predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR" lineAnchorType="0" offsetType="0" repeatDistanceUnits="MM" repeatDistance="0" fitInPolygonOnly="0" centroidWhole="0" dist="0" offsetUnits="MM" priority="5"/>
      <rendering upsidedownLabels="0" unplacedVisibility="0" obstacleType="1" displayAll="0" scaleMin="0" zIndex="0" scaleVisibility="1" minFeatureSize="0" fontLimitPixelSize="0" drawLabels="1" limitNumLabels="0" labelPerPart="0" maxNumLabels="2000" obstacle="1" fontMaxPixelSize="10000" scaleMax="10000" obstacleFactor="1" fontMinPixelSize="0" mergeLines="0"/>
      <dd_properties>
        <Option type="Map">
          <Option type="QString" name="name" value=""/>
          <Option name="properties"/>
          <Option type="QString" name="type" value="collection"/>
        </Option>
      </dd_properties>
      <callout type="simple">
        <Option type="Map">
          <Option type="QString" name="anchorPoint" value="pole_of_inaccessibility"/>
          <Option type="int" name="blendMode" value="0"/>
          <Option type="Map" name="ddProperties">
            <Option type="QString" name="name" value=""/>
            <Option name="properties"/>
            <Option type="QString" name="type" value="collection"/>
          </Option>
          <Option type="bool" name="drawToAllParts" value="false"/>
          <Option type="QString" name="enabled" value="0"/>
          <Option type="QString" name="labelAnchorPoint" value="point_on_exterior"/>
          <Option type="QString" name="lineSymbol" value="&lt;symbol type=&quot;line&quot; force_rhr=&quot;0&quot; clip_to_extent=&quot;1&quot; alpha=&quot;1&quot; name=&quot;symbol&quot;>&lt;data_defined_properties>&lt;Option type=&quot;Map&quot;>&lt;Option type=&quot;QString&quot; name=&quot;name&quot; value=&quot;&quot;/>&lt;Option name=&quot;properties&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;type&quot; value=&quot;collection&quot;/>&lt;/Option>&lt;/data_defined_properties>&lt;layer class=&quot;SimpleLine&quot; enabled=&quot;1&quot; locked=&quot;0&quot; pass=&quot;0&quot;>&lt;Option type=&quot;Map&quot;>&lt;Option type=&quot;QString&quot; name=&quot;align_dash_pattern&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;capstyle&quot; value=&quot;square&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;customdash&quot; value=&quot;5;2&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;customdash_map_unit_scale&quot; value=&quot;3x:0,0,0,0,0,0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;customdash_unit&quot; value=&quot;MM&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;dash_pattern_offset&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;dash_pattern_offset_map_unit_scale&quot; value=&quot;3x:0,0,0,0,0,0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;dash_pattern_offset_unit&quot; value=&quot;MM&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;draw_inside_polygon&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;joinstyle&quot; value=&quot;bevel&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;line_color&quot; value=&quot;60,60,60,255&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;line_style&quot; value=&quot;solid&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;line_width&quot; value=&quot;0.3&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;line_width_unit&quot; value=&quot;MM&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;offset&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;offset_map_unit_scale&quot; value=&quot;3x:0,0,0,0,0,0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;offset_unit&quot; value=&quot;MM&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;ring_filter&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;trim_distance_end&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;trim_distance_end_map_unit_scale&quot; value=&quot;3x:0,0,0,0,0,0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;trim_distance_end_unit&quot; value=&quot;MM&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;trim_distance_start&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;trim_distance_start_map_unit_scale&quot; value=&quot;3x:0,0,0,0,0,0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;trim_distance_start_unit&quot; value=&quot;MM&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;tweak_dash_pattern_on_corners&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;use_custom_dash&quot; value=&quot;0&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;width_map_unit_scale&quot; value=&quot;3x:0,0,0,0,0,0&quot;/>&lt;/Option>&lt;prop k=&quot;align_dash_pattern&quot; v=&quot;0&quot;/>&lt;prop k=&quot;capstyle&quot; v=&quot;square&quot;/>&lt;prop k=&quot;customdash&quot; v=&quot;5;2&quot;/>&lt;prop k=&quot;customdash_map_unit_scale&quot; v=&quot;3x:0,0,0,0,0,0&quot;/>&lt;prop k=&quot;customdash_unit&quot; v=&quot;MM&quot;/>&lt;prop k=&quot;dash_pattern_offset&quot; v=&quot;0&quot;/>&lt;prop k=&quot;dash_pattern_offset_map_unit_scale&quot; v=&quot;3x:0,0,0,0,0,0&quot;/>&lt;prop k=&quot;dash_pattern_offset_unit&quot; v=&quot;MM&quot;/>&lt;prop k=&quot;draw_inside_polygon&quot; v=&quot;0&quot;/>&lt;prop k=&quot;joinstyle&quot; v=&quot;bevel&quot;/>&lt;prop k=&quot;line_color&quot; v=&quot;60,60,60,255&quot;/>&lt;prop k=&quot;line_style&quot; v=&quot;solid&quot;/>&lt;prop k=&quot;line_width&quot; v=&quot;0.3&quot;/>&lt;prop k=&quot;line_width_unit&quot; v=&quot;MM&quot;/>&lt;prop k=&quot;offset&quot; v=&quot;0&quot;/>&lt;prop k=&quot;offset_map_unit_scale&quot; v=&quot;3x:0,0,0,0,0,0&quot;/>&lt;prop k=&quot;offset_unit&quot; v=&quot;MM&quot;/>&lt;prop k=&quot;ring_filter&quot; v=&quot;0&quot;/>&lt;prop k=&quot;trim_distance_end&quot; v=&quot;0&quot;/>&lt;prop k=&quot;trim_distance_end_map_unit_scale&quot; v=&quot;3x:0,0,0,0,0,0&quot;/>&lt;prop k=&quot;trim_distance_end_unit&quot; v=&quot;MM&quot;/>&lt;prop k=&quot;trim_distance_start&quot; v=&quot;0&quot;/>&lt;prop k=&quot;trim_distance_start_map_unit_scale&quot; v=&quot;3x:0,0,0,0,0,0&quot;/>&lt;prop k=&quot;trim_distance_start_unit&quot; v=&quot;MM&quot;/>&lt;prop k=&quot;tweak_dash_pattern_on_corners&quot; v=&quot;0&quot;/>&lt;prop k=&quot;use_custom_dash&quot; v=&quot;0&quot;/>&lt;prop k=&quot;width_map_unit_scale&quot; v=&quot;3x:0,0,0,0,0,0&quot;/>&lt;data_defined_properties>&lt;Option type=&quot;Map&quot;>&lt;Option type=&quot;QString&quot; name=&quot;name&quot; value=&quot;&quot;/>&lt;Option name=&quot;properties&quot;/>&lt;Option type=&quot;QString&quot; name=&quot;type&quot; value=&quot;collection&quot;/>&lt;/Option>&lt;/data_defined_properties>&lt;/layer>&lt;/symbol>"/>
          <Option type="double" name="minLength" value="0"/>
          <Option type="QString" name="minLengthMapUnitScale" value="3x:0,0,0,0,0,0"/>
          <Option type="QString" name="minLengthUnit" value="MM"/>
          <Option type="double" name="offsetFromAnchor" value="0"/>
          <Option type="QString" name="offsetFromAnchorMapUnitScale" value="3x:0,0,0,0,0,0"/>
          <Option type="QString" name="offsetFromAnchorUnit" value="MM"/>
          <Option type="double" name="offsetFromLabel" value="0"/>
          <Option type="QString" name="offsetFromLabelMapUnitScale" value="3x:0,0,0,0,0,0"/>
          <Option type="QString" name="offsetFromLabelUnit" value="MM"/>
        </Option>
      </callout>
    </settings>
  </labeling>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerGeometryType>2</layerGeometryType>
</qgis>
