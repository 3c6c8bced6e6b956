#!/usr/bin/env python3
"""Writes the broken configs bad_*.yaml next to this script, for tests/unit/test_config.c.

Each case is the BASE config with one edit. '@@' marks the line the error message must name; the
first line of each file, '# expect: CLASS LINE "substring" ...', is what the test checks (error
class name, FILE:LINE: in the message, and each substring). Edit a case here and re-run, or add
a hand-written bad_*.yaml with its own '# expect:' line: the test reads every bad_*.yaml.
"""
import os, re
BASE = """materials_dir: ../materials
temperature: 300 K
device:
  anode: {work_function: 5.1 eV}
  cathode: {work_function: 4.2 eV}
  layers:
    - name: HTL
      thickness: 35 nm
      material: TFB
    - name: EML
      thickness: 20 nm
      material: CdSe-red
    - name: ETL
      thickness: 40 nm
      material: ZnO-np
sweep: {from: 0 V, to: 8 V, step: 0.1 V}
mesh: {nodes: 600}
"""
# (file, description, edits, class, substrings); edits: list of (old, new) on the base text.
# '@@' marks the line the error must point at; it is removed from the output.
cases = [
 ("bad_unknown_key", "misspelt key in a layer", [("      thickness: 35 nm", "@@      thicknes: 35 nm")], "key",
   ["device.layers[0] (HTL)", "unknown key 'thicknes'", "did you mean 'thickness'?"]),
 ("bad_missing_thickness", "layer without thickness", [("    - name: EML\n      thickness: 20 nm\n", "@@    - name: EML\n")], "key",
   ["device.layers[1] (EML)", "missing key 'thickness'"]),
 ("bad_wrong_unit", "thickness with an area unit", [("      thickness: 35 nm", "@@      thickness: 35 cm^2")], "unit",
   ["device.layers[0] (HTL).thickness", "unit 'cm^2' is an area, expected a length"]),
 ("bad_unknown_unit", "unknown unit", [("      thickness: 35 nm", "@@      thickness: 35 nmm")], "unit",
   ["device.layers[0] (HTL).thickness", "unknown unit 'nmm'"]),
 ("bad_negative_thickness", "negative thickness", [("      thickness: 20 nm", "@@      thickness: -20 nm")], "range",
   ["device.layers[1] (EML).thickness", "-20 nm is not positive", "e.g. '20 nm'"]),
 ("bad_zero_thickness", "zero thickness", [("      thickness: 40 nm", "@@      thickness: 0 nm")], "range",
   ["device.layers[2] (ETL).thickness", "0 nm is not positive"]),
 ("bad_thick_layer", "thickness above 1 mm", [("      thickness: 40 nm", "@@      thickness: 2 mm")], "range",
   ["device.layers[2] (ETL).thickness", "2 mm is too large"]),
 ("bad_mu_zero", "zero mobility override", [("      material: TFB", "      material: TFB\n@@      mu_p: 0 cm^2/Vs")], "range",
   ["device.layers[0] (HTL).mu_p", "0 cm^2/Vs is not positive"]),
 ("bad_mu_negative", "negative mobility in an inline map", [("      material: CdSe-red", "@@      material: {base: CdSe-red, mu_n: -1e-4 cm^2/Vs}")], "range",
   ["device.layers[1] (EML).material.mu_n", "-1e-4 cm^2/Vs is not positive"]),
 ("bad_homo_above_lumo", "HOMO above LUMO after an override", [("    - name: ETL\n", "@@    - name: ETL\n      homo: -3.0 eV\n")], "range",
   ["device.layers[2] (ETL)", "HOMO -3.0 eV is above LUMO -4.2 eV", "zno.yaml"]),
 ("bad_positive_homo", "HOMO written as a positive number", [("      material: TFB", "      material: TFB\n@@      homo: 5.4 eV")], "range",
   ["device.layers[0] (HTL).homo", "5.4 eV is positive", "negative"]),
 ("bad_yaml", "YAML syntax error", [("      thickness: 35 nm", "@@      thickness: 35 nm: x")], "syntax",
   ["YAML syntax error", "mapping values are not allowed"]),
 ("bad_unknown_material", "misspelt material name", [("      material: TFB", "@@      material: TBF")], "material",
   ["device.layers[0] (HTL).material", "unknown material 'TBF'", "did you mean 'TFB'?", "searched", "materials"]),
 ("bad_material_case", "material name in the wrong case", [("      material: TFB", "@@      material: tfb")], "material",
   ["unknown material 'tfb'", "did you mean 'TFB'?"]),
 ("bad_duplicate_layer", "two layers with the same name", [("    - name: ETL", "@@    - name: HTL")], "key",
   ["device.layers[2] (HTL).name", "duplicate layer name 'HTL'", "device.layers[0]"]),
 ("bad_empty_layers", "empty layer list", [("  layers:\n    - name: HTL\n      thickness: 35 nm\n      material: TFB\n    - name: EML\n      thickness: 20 nm\n      material: CdSe-red\n    - name: ETL\n      thickness: 40 nm\n      material: ZnO-np\n", "@@  layers: []\n")], "key",
   ["device.layers", "no layers"]),
 ("bad_nan", "NaN thickness", [("      thickness: 35 nm", "@@      thickness: .nan")], "range",
   ["device.layers[0] (HTL).thickness", "'.nan' is not a number"]),
 ("bad_inf_thickness", "infinite thickness", [("      thickness: 35 nm", "@@      thickness: inf")], "range",
   ["device.layers[0] (HTL).thickness", "'inf' is not finite"]),
 ("bad_sweep_step", "step that does not divide the range", [("sweep: {from: 0 V, to: 8 V, step: 0.1 V}", "@@sweep: {from: 0 V, to: 8 V, step: 0.3 V}")], "range",
   ["sweep.step", "0.3 V does not divide the range"]),
 ("bad_sweep_sign", "step pointing away from 'to'", [("sweep: {from: 0 V, to: 8 V, step: 0.1 V}", "@@sweep: {from: 0 V, to: 8 V, step: -0.1 V}")], "range",
   ["sweep.step", "-0.1 V points away from 'to'"]),
 ("bad_sweep_zero_step", "zero step", [("sweep: {from: 0 V, to: 8 V, step: 0.1 V}", "@@sweep: {from: 0 V, to: 8 V, step: 0 V}")], "range",
   ["sweep.step", "0 V is zero"]),
 ("bad_sweep_typo", "misspelt sweep key", [("sweep: {from: 0 V, to: 8 V, step: 0.1 V}", "@@sweep: {from: 0 V, too: 8 V, step: 0.1 V}")], "key",
   ["sweep", "unknown key 'too'", "did you mean 'to'?"]),
 ("bad_sweep_both", "points and a range at once", [("sweep: {from: 0 V, to: 8 V, step: 0.1 V}", "sweep:\n  from: 0 V\n  to: 8 V\n  step: 0.1 V\n@@  points: [0 V]")], "key",
   ["sweep", "either 'points' or 'from', 'to' and 'step'"]),
 ("bad_nodes_float", "non-integer node count", [("mesh: {nodes: 600}", "@@mesh: {nodes: 10.5}")], "type",
   ["mesh.nodes", "10.5 is not an integer"]),
 ("bad_nodes_text", "node count as a word", [("mesh: {nodes: 600}", "@@mesh: {nodes: ten}")], "type",
   ["mesh.nodes", "'ten' is not an integer"]),
 ("bad_nodes_range", "too few nodes", [("mesh: {nodes: 600}", "@@mesh: {nodes: 5}")], "range",
   ["mesh.nodes", "5 is too small"]),
 ("bad_max_ratio", "mesh ratio above 2", [("mesh: {nodes: 600}", "@@mesh: {nodes: 600, max_ratio: 3}")], "range",
   ["mesh.max_ratio", "3 is too large"]),
 ("bad_E_t", "trap level below the HOMO", [("      material: TFB", "      material: TFB\n      tau_n: 10 ns\n@@      E_t: -7 eV")], "range",
   ["device.layers[0] (HTL).E_t", "trap level -7 eV is not between HOMO -5.4 eV and LUMO -2.3 eV"]),
 ("bad_pf_gamma", "Poole-Frenkel coefficient with a constant mobility", [("      material: TFB", "      material: TFB\n@@      pf_gamma_n: 3e-4 (cm/V)^0.5")], "range",
   ["device.layers[0] (HTL).pf_gamma_n", "needs 'mobility_n: poole-frenkel'"]),
 ("bad_gauss_no_sigma", "gauss-fermi statistics without widths", [("    - name: EML\n", "@@    - name: EML\n      statistics: gauss-fermi\n")], "key",
   ["device.layers[1] (EML)", "missing key 'sigma_n'", "gauss-fermi"]),
 ("bad_gauss_zero_sigma", "gauss-fermi statistics with a zero width", [("      material: CdSe-red", "      material: CdSe-red\n      statistics: gauss-fermi\n      sigma_n: 0.1 eV\n@@      sigma_p: 0 eV")], "range",
   ["device.layers[1] (EML).sigma_p", "must be > 0 for statistics gauss-fermi"]),
 ("bad_sigma_range", "disorder width above 0.3 eV", [("      material: CdSe-red", "      material: CdSe-red\n@@      sigma_n: 0.5 eV")], "range",
   ["device.layers[1] (EML).sigma_n", "0.5 eV is too large"]),
 ("bad_duplicate_key", "a key twice in one layer", [("      material: ZnO-np", "      material: ZnO-np\n@@      thickness: 41 nm")], "key",
   ["duplicate key 'thickness'", "first defined at line"]),
 ("bad_top_key", "misspelt top-level key", [("temperature: 300 K", "@@temprature: 300 K")], "key",
   ["unknown key 'temprature'", "did you mean 'temperature'?"]),
 ("bad_layers_toplevel", "layers outside device", [("sweep: {from", "@@layers: []\nsweep: {from")], "key",
   ["unknown top-level key 'layers'", "did you mean 'device.layers'?"]),
 ("bad_missing_anode", "no anode", [("device:\n  anode: {work_function: 5.1 eV}\n", "device:\n@@  cathode: {work_function: 4.2 eV}\n"), ("  cathode: {work_function: 4.2 eV}\n  layers", "  layers")], "key",
   ["device", "missing key 'anode'"]),
 ("bad_wf_negative", "work function written as a level", [("  anode: {work_function: 5.1 eV}", "@@  anode: {work_function: -5.1 eV}")], "range",
   ["device.anode.work_function", "-5.1 eV is not positive", "work functions are positive"]),
 ("bad_wf_missing", "contact without work function", [("  anode: {work_function: 5.1 eV}", "@@  anode: {image_force: true}")], "key",
   ["device.anode", "missing key 'work_function'"]),
 ("bad_contact_not_electrode", "contact material without a work function", [("  anode: {work_function: 5.1 eV}", "@@  anode: {material: TFB}")], "material",
   ["device.anode.material", "has no work_function"]),
 ("bad_temperature", "temperature too high", [("temperature: 300 K", "@@temperature: 1200 K")], "range",
   ["temperature", "1200 K is too large"]),
 ("bad_temperature_unit", "temperature with an energy unit", [("temperature: 300 K", "@@temperature: 300 eV")], "unit",
   ["temperature", "unit 'eV' is an energy, expected a temperature"]),
 ("bad_layer_name", "layer name with a space", [("    - name: EML", "@@    - name: \"E ML\"")], "range",
   ["device.layers[1] (E ML).name", "invalid layer name 'E ML'"]),
 ("bad_material_type", "material given as a list", [("      material: TFB", "@@      material: [TFB]")], "type",
   ["device.layers[0] (HTL).material", "found a list"]),
 ("bad_bool", "boolean that is not one", [("  anode: {work_function: 5.1 eV}", "@@  anode: {work_function: 5.1 eV, image_force: maybe}")], "type",
   ["device.anode.image_force", "'maybe' is not a boolean"]),
 ("bad_enum", "misspelt statistics", [("      material: TFB", "      material: TFB\n@@      statistics: boltzman")], "type",
   ["device.layers[0] (HTL).statistics", "unknown choice 'boltzman'", "did you mean 'boltzmann'?"]),
 ("bad_emissive_no_peak", "emissive inline material without a peak wavelength", [("      material: ZnO-np", "@@      material: {base: ZnO-np, emissive: true, fwhm: 30 nm}")], "key",
   ["device.layers[2] (ETL).material", "missing key 'peak_wavelength'"]),
 ("bad_plqy", "PLQY above one", [("      material: CdSe-red", "      material: CdSe-red\n@@      plqy: 150 %")], "range",
   ["device.layers[1] (EML).plqy", "150 % is too large"]),
 ("bad_fwhm_too_wide", "emission FWHM beyond what a Gaussian spectrum allows (found by fuzzing)", [("      material: CdSe-red", "      material: CdSe-red\n@@      fwhm: 3020 Å")], "range",
   ["device.layers[1] (EML).fwhm", "fwhm 3020 Å is too wide for the peak wavelength", "at most 20 % of it (126 nm)"]),
 ("bad_inline_key", "misspelt key in an inline material map", [("      material: TFB", "      material:\n        base: TFB\n@@        mu_q: 1e-3 cm^2/Vs")], "key",
   ["device.layers[0] (HTL).material", "unknown key 'mu_q'", "did you mean"]),
 ("bad_Nc_range", "density of states far too small", [("      material: TFB", "      material: TFB\n@@      Nc: 1e10 cm^-3")], "range",
   ["device.layers[0] (HTL).Nc", "1e10 cm^-3 is too small"]),
 ("bad_dbonly_key", "a database-only key in a layer", [("      material: TFB", "      material: TFB\n@@      molar_mass: 300 g/mol")], "key",
   ["device.layers[0] (HTL).molar_mass", "belongs in the material database only"]),
 ("bad_output_fields", "fields neither all, none nor a list", [("mesh: {nodes: 600}", "mesh: {nodes: 600}\n@@output: {fields: some}")], "type",
   ["output.fields", "found 'some'"]),
 ("bad_materials_dir", "material database directory that does not exist", [("materials_dir: ../materials", "@@materials_dir: ../no-such-dir")], "file",
   ["materials_dir", "no-such-dir", "cannot open the material database directory"]),
 ("bad_alias", "YAML alias", [("  cathode: {work_function: 4.2 eV}", "@@  cathode: *c")], "syntax",
   ["aliases", "not supported"]),
 ("bad_layer_scalar", "a layer that is not a map", [("    - name: ETL\n      thickness: 40 nm\n      material: ZnO-np\n", "@@    - ETL\n")], "type",
   ["device.layers[2]", "found the value 'ETL'"]),
 ("bad_missing_material_key", "inline material without mu_n", [("      material: ZnO-np", "@@      material: {eps_r: 8, homo: -7 eV, lumo: -4 eV, Nc: 1e25, Nv: 1e25, mu_p: 1e-9}")], "key",
   ["device.layers[2] (ETL).material", "missing key 'mu_n'"]),
]
outdir = os.path.dirname(os.path.abspath(__file__))
for name, desc, edits, cls, subs in cases:
    text = BASE
    for old, new in edits:
        assert old in text, (name, old)
        text = text.replace(old, new, 1)
    lines = text.split("\n")
    line = 0
    for i, l in enumerate(lines):
        if "@@" in l:
            line = i + 3  # +1 for 1-based, +2 for the two header lines
            lines[i] = l.replace("@@", "")
    text = "\n".join(lines)
    quoted = " ".join('"%s"' % s for s in subs)
    head = "# expect: %s %d %s\n" % (cls, line, quoted)
    with open(os.path.join(outdir, name + ".yaml"), "w") as f:
        f.write(head + "# " + desc + "\n")
        f.write(text)
print(len(cases))
