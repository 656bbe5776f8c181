<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis labelsEnabled="0" styleCategories="Symbology|Labeling" version="3.22.16-Białowieża">
  <renderer-v2 forceraster="0" type="categorizedSymbol" referencescale="-1" attr="family" enableorderby="0" symbollevels="0">
    <categories>
      <category symbol="0" value="heat" render="true" label="Chaleur"/>
      <category symbol="1" value="energy" render="true" label="Énergie"/>
      <category symbol="2" value="water" render="true" label="Eau"/>
      <category symbol="3" value="waste" render="true" label="Déchets"/>
      <category symbol="4" value="material" render="true" label="Matières"/>
      <category symbol="5" value="" render="true" label="Autre"/>
    </categories>
    <symbols>
      <symbol name="0" type="line" clip_to_extent="1" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value=""/>
            <Option name="properties"/>
            <Option name="type" type="QString" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer enabled="1" pass="0" locked="0" class="ArrowLine">
          <Option type="Map">
            <Option name="arrow_start_width" type="QString" value="1"/>
            <Option name="arrow_start_width_unit" type="QString" value="MM"/>
            <Option name="arrow_start_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="arrow_type" type="QString" value="0"/>
            <Option name="arrow_width" type="QString" value="1"/>
            <Option name="arrow_width_unit" type="QString" value="MM"/>
            <Option name="arrow_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_length" type="QString" value="2.6"/>
            <Option name="head_length_unit" type="QString" value="MM"/>
            <Option name="head_length_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_thickness" type="QString" value="1.6"/>
            <Option name="head_thickness_unit" type="QString" value="MM"/>
            <Option name="head_thickness_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_type" type="QString" value="0"/>
            <Option name="is_curved" type="QString" value="0"/>
            <Option name="is_repeated" type="QString" value="0"/>
            <Option name="offset" type="QString" value="0"/>
            <Option name="offset_unit" type="QString" value="MM"/>
            <Option name="offset_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="ring_filter" type="QString" value="0"/>
          </Option>
          <prop k="arrow_start_width" v="1"/>
          <prop k="arrow_start_width_unit" v="MM"/>
          <prop k="arrow_start_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="arrow_type" v="0"/>
          <prop k="arrow_width" v="1"/>
          <prop k="arrow_width_unit" v="MM"/>
          <prop k="arrow_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_length" v="2.6"/>
          <prop k="head_length_unit" v="MM"/>
          <prop k="head_length_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_thickness" v="1.6"/>
          <prop k="head_thickness_unit" v="MM"/>
          <prop k="head_thickness_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_type" v="0"/>
          <prop k="is_curved" v="0"/>
          <prop k="is_repeated" v="0"/>
          <prop k="offset" v="0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="offset_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="ring_filter" v="0"/>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value=""/>
              <Option name="properties" type="Map">
                <Option name="arrowStartWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
                <Option name="arrowWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection"/>
            </Option>
          </data_defined_properties>
          <symbol name="@0@0" type="fill" clip_to_extent="1" alpha="1" force_rhr="0">
            <data_defined_properties>
              <Option type="Map">
                <Option name="name" type="QString" value=""/>
                <Option name="properties"/>
                <Option name="type" type="QString" value="collection"/>
              </Option>
            </data_defined_properties>
            <layer enabled="1" pass="0" locked="0" class="SimpleFill">
              <Option type="Map">
                <Option name="border_width_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="color" type="QString" value="215,48,31,255"/>
                <Option name="joinstyle" type="QString" value="bevel"/>
                <Option name="offset" type="QString" value="0,0"/>
                <Option name="offset_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="offset_unit" type="QString" value="MM"/>
                <Option name="outline_color" type="QString" value="255,255,255,255"/>
                <Option name="outline_style" type="QString" value="solid"/>
                <Option name="outline_width" type="QString" value="0.15"/>
                <Option name="outline_width_unit" type="QString" value="MM"/>
                <Option name="style" type="QString" value="solid"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="215,48,31,255"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="255,255,255,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.15"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option name="name" type="QString" value=""/>
                  <Option name="properties"/>
                  <Option name="type" type="QString" value="collection"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </layer>
      </symbol>
      <symbol name="1" type="line" clip_to_extent="1" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value=""/>
            <Option name="properties"/>
            <Option name="type" type="QString" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer enabled="1" pass="0" locked="0" class="ArrowLine">
          <Option type="Map">
            <Option name="arrow_start_width" type="QString" value="1"/>
            <Option name="arrow_start_width_unit" type="QString" value="MM"/>
            <Option name="arrow_start_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="arrow_type" type="QString" value="0"/>
            <Option name="arrow_width" type="QString" value="1"/>
            <Option name="arrow_width_unit" type="QString" value="MM"/>
            <Option name="arrow_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_length" type="QString" value="2.6"/>
            <Option name="head_length_unit" type="QString" value="MM"/>
            <Option name="head_length_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_thickness" type="QString" value="1.6"/>
            <Option name="head_thickness_unit" type="QString" value="MM"/>
            <Option name="head_thickness_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_type" type="QString" value="0"/>
            <Option name="is_curved" type="QString" value="0"/>
            <Option name="is_repeated" type="QString" value="0"/>
            <Option name="offset" type="QString" value="0"/>
            <Option name="offset_unit" type="QString" value="MM"/>
            <Option name="offset_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="ring_filter" type="QString" value="0"/>
          </Option>
          <prop k="arrow_start_width" v="1"/>
          <prop k="arrow_start_width_unit" v="MM"/>
          <prop k="arrow_start_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="arrow_type" v="0"/>
          <prop k="arrow_width" v="1"/>
          <prop k="arrow_width_unit" v="MM"/>
          <prop k="arrow_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_length" v="2.6"/>
          <prop k="head_length_unit" v="MM"/>
          <prop k="head_length_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_thickness" v="1.6"/>
          <prop k="head_thickness_unit" v="MM"/>
          <prop k="head_thickness_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_type" v="0"/>
          <prop k="is_curved" v="0"/>
          <prop k="is_repeated" v="0"/>
          <prop k="offset" v="0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="offset_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="ring_filter" v="0"/>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value=""/>
              <Option name="properties" type="Map">
                <Option name="arrowStartWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
                <Option name="arrowWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection"/>
            </Option>
          </data_defined_properties>
          <symbol name="@1@0" type="fill" clip_to_extent="1" alpha="1" force_rhr="0">
            <data_defined_properties>
              <Option type="Map">
                <Option name="name" type="QString" value=""/>
                <Option name="properties"/>
                <Option name="type" type="QString" value="collection"/>
              </Option>
            </data_defined_properties>
            <layer enabled="1" pass="0" locked="0" class="SimpleFill">
              <Option type="Map">
                <Option name="border_width_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="color" type="QString" value="240,163,10,255"/>
                <Option name="joinstyle" type="QString" value="bevel"/>
                <Option name="offset" type="QString" value="0,0"/>
                <Option name="offset_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="offset_unit" type="QString" value="MM"/>
                <Option name="outline_color" type="QString" value="255,255,255,255"/>
                <Option name="outline_style" type="QString" value="solid"/>
                <Option name="outline_width" type="QString" value="0.15"/>
                <Option name="outline_width_unit" type="QString" value="MM"/>
                <Option name="style" type="QString" value="solid"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="240,163,10,255"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="255,255,255,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.15"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option name="name" type="QString" value=""/>
                  <Option name="properties"/>
                  <Option name="type" type="QString" value="collection"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </layer>
      </symbol>
      <symbol name="2" type="line" clip_to_extent="1" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value=""/>
            <Option name="properties"/>
            <Option name="type" type="QString" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer enabled="1" pass="0" locked="0" class="ArrowLine">
          <Option type="Map">
            <Option name="arrow_start_width" type="QString" value="1"/>
            <Option name="arrow_start_width_unit" type="QString" value="MM"/>
            <Option name="arrow_start_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="arrow_type" type="QString" value="0"/>
            <Option name="arrow_width" type="QString" value="1"/>
            <Option name="arrow_width_unit" type="QString" value="MM"/>
            <Option name="arrow_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_length" type="QString" value="2.6"/>
            <Option name="head_length_unit" type="QString" value="MM"/>
            <Option name="head_length_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_thickness" type="QString" value="1.6"/>
            <Option name="head_thickness_unit" type="QString" value="MM"/>
            <Option name="head_thickness_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_type" type="QString" value="0"/>
            <Option name="is_curved" type="QString" value="0"/>
            <Option name="is_repeated" type="QString" value="0"/>
            <Option name="offset" type="QString" value="0"/>
            <Option name="offset_unit" type="QString" value="MM"/>
            <Option name="offset_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="ring_filter" type="QString" value="0"/>
          </Option>
          <prop k="arrow_start_width" v="1"/>
          <prop k="arrow_start_width_unit" v="MM"/>
          <prop k="arrow_start_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="arrow_type" v="0"/>
          <prop k="arrow_width" v="1"/>
          <prop k="arrow_width_unit" v="MM"/>
          <prop k="arrow_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_length" v="2.6"/>
          <prop k="head_length_unit" v="MM"/>
          <prop k="head_length_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_thickness" v="1.6"/>
          <prop k="head_thickness_unit" v="MM"/>
          <prop k="head_thickness_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_type" v="0"/>
          <prop k="is_curved" v="0"/>
          <prop k="is_repeated" v="0"/>
          <prop k="offset" v="0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="offset_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="ring_filter" v="0"/>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value=""/>
              <Option name="properties" type="Map">
                <Option name="arrowStartWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
                <Option name="arrowWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection"/>
            </Option>
          </data_defined_properties>
          <symbol name="@2@0" type="fill" clip_to_extent="1" alpha="1" force_rhr="0">
            <data_defined_properties>
              <Option type="Map">
                <Option name="name" type="QString" value=""/>
                <Option name="properties"/>
                <Option name="type" type="QString" value="collection"/>
              </Option>
            </data_defined_properties>
            <layer enabled="1" pass="0" locked="0" class="SimpleFill">
              <Option type="Map">
                <Option name="border_width_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="color" type="QString" value="43,140,190,255"/>
                <Option name="joinstyle" type="QString" value="bevel"/>
                <Option name="offset" type="QString" value="0,0"/>
                <Option name="offset_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="offset_unit" type="QString" value="MM"/>
                <Option name="outline_color" type="QString" value="255,255,255,255"/>
                <Option name="outline_style" type="QString" value="solid"/>
                <Option name="outline_width" type="QString" value="0.15"/>
                <Option name="outline_width_unit" type="QString" value="MM"/>
                <Option name="style" type="QString" value="solid"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="43,140,190,255"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="255,255,255,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.15"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option name="name" type="QString" value=""/>
                  <Option name="properties"/>
                  <Option name="type" type="QString" value="collection"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </layer>
      </symbol>
      <symbol name="3" type="line" clip_to_extent="1" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value=""/>
            <Option name="properties"/>
            <Option name="type" type="QString" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer enabled="1" pass="0" locked="0" class="ArrowLine">
          <Option type="Map">
            <Option name="arrow_start_width" type="QString" value="1"/>
            <Option name="arrow_start_width_unit" type="QString" value="MM"/>
            <Option name="arrow_start_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="arrow_type" type="QString" value="0"/>
            <Option name="arrow_width" type="QString" value="1"/>
            <Option name="arrow_width_unit" type="QString" value="MM"/>
            <Option name="arrow_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_length" type="QString" value="2.6"/>
            <Option name="head_length_unit" type="QString" value="MM"/>
            <Option name="head_length_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_thickness" type="QString" value="1.6"/>
            <Option name="head_thickness_unit" type="QString" value="MM"/>
            <Option name="head_thickness_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_type" type="QString" value="0"/>
            <Option name="is_curved" type="QString" value="0"/>
            <Option name="is_repeated" type="QString" value="0"/>
            <Option name="offset" type="QString" value="0"/>
            <Option name="offset_unit" type="QString" value="MM"/>
            <Option name="offset_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="ring_filter" type="QString" value="0"/>
          </Option>
          <prop k="arrow_start_width" v="1"/>
          <prop k="arrow_start_width_unit" v="MM"/>
          <prop k="arrow_start_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="arrow_type" v="0"/>
          <prop k="arrow_width" v="1"/>
          <prop k="arrow_width_unit" v="MM"/>
          <prop k="arrow_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_length" v="2.6"/>
          <prop k="head_length_unit" v="MM"/>
          <prop k="head_length_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_thickness" v="1.6"/>
          <prop k="head_thickness_unit" v="MM"/>
          <prop k="head_thickness_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_type" v="0"/>
          <prop k="is_curved" v="0"/>
          <prop k="is_repeated" v="0"/>
          <prop k="offset" v="0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="offset_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="ring_filter" v="0"/>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value=""/>
              <Option name="properties" type="Map">
                <Option name="arrowStartWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
                <Option name="arrowWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection"/>
            </Option>
          </data_defined_properties>
          <symbol name="@3@0" type="fill" clip_to_extent="1" alpha="1" force_rhr="0">
            <data_defined_properties>
              <Option type="Map">
                <Option name="name" type="QString" value=""/>
                <Option name="properties"/>
                <Option name="type" type="QString" value="collection"/>
              </Option>
            </data_defined_properties>
            <layer enabled="1" pass="0" locked="0" class="SimpleFill">
              <Option type="Map">
                <Option name="border_width_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="color" type="QString" value="140,90,43,255"/>
                <Option name="joinstyle" type="QString" value="bevel"/>
                <Option name="offset" type="QString" value="0,0"/>
                <Option name="offset_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="offset_unit" type="QString" value="MM"/>
                <Option name="outline_color" type="QString" value="255,255,255,255"/>
                <Option name="outline_style" type="QString" value="solid"/>
                <Option name="outline_width" type="QString" value="0.15"/>
                <Option name="outline_width_unit" type="QString" value="MM"/>
                <Option name="style" type="QString" value="solid"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="140,90,43,255"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="255,255,255,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.15"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option name="name" type="QString" value=""/>
                  <Option name="properties"/>
                  <Option name="type" type="QString" value="collection"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </layer>
      </symbol>
      <symbol name="4" type="line" clip_to_extent="1" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value=""/>
            <Option name="properties"/>
            <Option name="type" type="QString" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer enabled="1" pass="0" locked="0" class="ArrowLine">
          <Option type="Map">
            <Option name="arrow_start_width" type="QString" value="1"/>
            <Option name="arrow_start_width_unit" type="QString" value="MM"/>
            <Option name="arrow_start_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="arrow_type" type="QString" value="0"/>
            <Option name="arrow_width" type="QString" value="1"/>
            <Option name="arrow_width_unit" type="QString" value="MM"/>
            <Option name="arrow_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_length" type="QString" value="2.6"/>
            <Option name="head_length_unit" type="QString" value="MM"/>
            <Option name="head_length_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_thickness" type="QString" value="1.6"/>
            <Option name="head_thickness_unit" type="QString" value="MM"/>
            <Option name="head_thickness_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_type" type="QString" value="0"/>
            <Option name="is_curved" type="QString" value="0"/>
            <Option name="is_repeated" type="QString" value="0"/>
            <Option name="offset" type="QString" value="0"/>
            <Option name="offset_unit" type="QString" value="MM"/>
            <Option name="offset_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="ring_filter" type="QString" value="0"/>
          </Option>
          <prop k="arrow_start_width" v="1"/>
          <prop k="arrow_start_width_unit" v="MM"/>
          <prop k="arrow_start_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="arrow_type" v="0"/>
          <prop k="arrow_width" v="1"/>
          <prop k="arrow_width_unit" v="MM"/>
          <prop k="arrow_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_length" v="2.6"/>
          <prop k="head_length_unit" v="MM"/>
          <prop k="head_length_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_thickness" v="1.6"/>
          <prop k="head_thickness_unit" v="MM"/>
          <prop k="head_thickness_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_type" v="0"/>
          <prop k="is_curved" v="0"/>
          <prop k="is_repeated" v="0"/>
          <prop k="offset" v="0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="offset_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="ring_filter" v="0"/>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value=""/>
              <Option name="properties" type="Map">
                <Option name="arrowStartWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
                <Option name="arrowWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection"/>
            </Option>
          </data_defined_properties>
          <symbol name="@4@0" type="fill" clip_to_extent="1" alpha="1" force_rhr="0">
            <data_defined_properties>
              <Option type="Map">
                <Option name="name" type="QString" value=""/>
                <Option name="properties"/>
                <Option name="type" type="QString" value="collection"/>
              </Option>
            </data_defined_properties>
            <layer enabled="1" pass="0" locked="0" class="SimpleFill">
              <Option type="Map">
                <Option name="border_width_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="color" type="QString" value="51,160,44,255"/>
                <Option name="joinstyle" type="QString" value="bevel"/>
                <Option name="offset" type="QString" value="0,0"/>
                <Option name="offset_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="offset_unit" type="QString" value="MM"/>
                <Option name="outline_color" type="QString" value="255,255,255,255"/>
                <Option name="outline_style" type="QString" value="solid"/>
                <Option name="outline_width" type="QString" value="0.15"/>
                <Option name="outline_width_unit" type="QString" value="MM"/>
                <Option name="style" type="QString" value="solid"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="51,160,44,255"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="255,255,255,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.15"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option name="name" type="QString" value=""/>
                  <Option name="properties"/>
                  <Option name="type" type="QString" value="collection"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </layer>
      </symbol>
      <symbol name="5" type="line" clip_to_extent="1" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value=""/>
            <Option name="properties"/>
            <Option name="type" type="QString" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer enabled="1" pass="0" locked="0" class="ArrowLine">
          <Option type="Map">
            <Option name="arrow_start_width" type="QString" value="1"/>
            <Option name="arrow_start_width_unit" type="QString" value="MM"/>
            <Option name="arrow_start_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="arrow_type" type="QString" value="0"/>
            <Option name="arrow_width" type="QString" value="1"/>
            <Option name="arrow_width_unit" type="QString" value="MM"/>
            <Option name="arrow_width_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_length" type="QString" value="2.6"/>
            <Option name="head_length_unit" type="QString" value="MM"/>
            <Option name="head_length_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_thickness" type="QString" value="1.6"/>
            <Option name="head_thickness_unit" type="QString" value="MM"/>
            <Option name="head_thickness_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="head_type" type="QString" value="0"/>
            <Option name="is_curved" type="QString" value="0"/>
            <Option name="is_repeated" type="QString" value="0"/>
            <Option name="offset" type="QString" value="0"/>
            <Option name="offset_unit" type="QString" value="MM"/>
            <Option name="offset_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
            <Option name="ring_filter" type="QString" value="0"/>
          </Option>
          <prop k="arrow_start_width" v="1"/>
          <prop k="arrow_start_width_unit" v="MM"/>
          <prop k="arrow_start_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="arrow_type" v="0"/>
          <prop k="arrow_width" v="1"/>
          <prop k="arrow_width_unit" v="MM"/>
          <prop k="arrow_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_length" v="2.6"/>
          <prop k="head_length_unit" v="MM"/>
          <prop k="head_length_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_thickness" v="1.6"/>
          <prop k="head_thickness_unit" v="MM"/>
          <prop k="head_thickness_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_type" v="0"/>
          <prop k="is_curved" v="0"/>
          <prop k="is_repeated" v="0"/>
          <prop k="offset" v="0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="offset_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="ring_filter" v="0"/>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value=""/>
              <Option name="properties" type="Map">
                <Option name="arrowStartWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
                <Option name="arrowWidth" type="Map">
                  <Option name="active" type="bool" value="true"/>
                  <Option name="expression" type="QString" value="0.5 + 2.5 * scale_linear(ln(1 + coalesce(&quot;quantity&quot;, 0)), 0, ln(1 + maximum(&quot;quantity&quot;, group_by:=&quot;family&quot;)), 0, 1)"/>
                  <Option name="type" type="int" value="3"/>
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection"/>
            </Option>
          </data_defined_properties>
          <symbol name="@5@0" type="fill" clip_to_extent="1" alpha="1" force_rhr="0">
            <data_defined_properties>
              <Option type="Map">
                <Option name="name" type="QString" value=""/>
                <Option name="properties"/>
                <Option name="type" type="QString" value="collection"/>
              </Option>
            </data_defined_properties>
            <layer enabled="1" pass="0" locked="0" class="SimpleFill">
              <Option type="Map">
                <Option name="border_width_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="color" type="QString" value="127,127,127,255"/>
                <Option name="joinstyle" type="QString" value="bevel"/>
                <Option name="offset" type="QString" value="0,0"/>
                <Option name="offset_map_unit_scale" type="QString" value="3x:0,0,0,0,0,0"/>
                <Option name="offset_unit" type="QString" value="MM"/>
                <Option name="outline_color" type="QString" value="255,255,255,255"/>
                <Option name="outline_style" type="QString" value="solid"/>
                <Option name="outline_width" type="QString" value="0.15"/>
                <Option name="outline_width_unit" type="QString" value="MM"/>
                <Option name="style" type="QString" value="solid"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="127,127,127,255"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="255,255,255,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.15"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option name="name" type="QString" value=""/>
                  <Option name="properties"/>
                  <Option name="type" type="QString" value="collection"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerGeometryType>1</layerGeometryType>
</qgis>
