<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>TrainingFormat</name>
    <message>
        <source>%1 B</source>
        <translation>%1 Mrd.</translation>
    </message>
    <message>
        <source>%1 M</source>
        <translation>%1 Mio.</translation>
    </message>
    <message>
        <source>%1 K</source>
        <translation>%1 Tsd.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>UndoCommands</name>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message>
        <source>Import %1 from %2</source>
        <translation>%1 aus %2 importieren</translation>
    </message>
    <message>
        <source>Add example</source>
        <translation>Beispiel hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate %1</source>
        <translation>%1 duplizieren</translation>
    </message>
    <message>
        <source>Set split of %1 to %2</source>
        <translation>Split von %1 auf %2 setzen</translation>
    </message>
    <message>
        <source>Tag %1 with %2</source>
        <translation>%1 mit %2 taggen</translation>
    </message>
    <message>
        <source>Set tags of %1</source>
        <translation>Tags von %1 setzen</translation>
    </message>
    <message>
        <source>1 example</source>
        <translation>1 Beispiel</translation>
    </message>
    <message>
        <source>%1 examples</source>
        <translation>%1 Beispiele</translation>
    </message>
    <message>
        <source>Edit system prompt</source>
        <translation>Systemprompt bearbeiten</translation>
    </message>
    <message>
        <source>Edit input</source>
        <translation>Eingabe bearbeiten</translation>
    </message>
    <message>
        <source>Edit ideal output</source>
        <translation>Ideale Ausgabe bearbeiten</translation>
    </message>
    <message>
        <source>Change split</source>
        <translation>Split ändern</translation>
    </message>
    <message>
        <source>Edit tags</source>
        <translation>Tags bearbeiten</translation>
    </message>
    <message>
        <source>Edit example</source>
        <translation>Beispiel bearbeiten</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Prompt-vs-fine-tune workbench</source>
        <translation>Werkbank: Prompt oder Fine-Tuning</translation>
    </message>
    <message>
        <source>A .tunesmith project to open.</source>
        <translation>Ein zu öffnendes .tunesmith-Projekt.</translation>
    </message>
</context>
<context>
    <name>ts::ui::ExampleEditor</name>
    <message>
        <source>Optional system prompt</source>
        <translation>Optionaler Systemprompt</translation>
    </message>
    <message>
        <source>What the user sends</source>
        <translation>Was der Benutzer sendet</translation>
    </message>
    <message>
        <source>The answer the model should give</source>
        <translation>Die Antwort, die das Modell geben soll</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Ideal output</source>
        <translation>Ideale Ausgabe</translation>
    </message>
    <message>
        <source>Comma-separated, e.g. billing, refund</source>
        <translation>Durch Kommas getrennt, z. B. rechnung, erstattung</translation>
    </message>
    <message>
        <source>&amp;Split:</source>
        <translation>&amp;Split:</translation>
    </message>
    <message>
        <source>T&amp;ags:</source>
        <translation>T&amp;ags:</translation>
    </message>
    <message>
        <source>No example selected</source>
        <translation>Kein Beispiel ausgewählt</translation>
    </message>
    <message>
        <source>Example %1</source>
        <translation>Beispiel %1</translation>
    </message>
    <message>
        <source>This conversation has 1 earlier message. It is kept as it is; you are editing the last turn.</source>
        <translation>Diese Unterhaltung hat 1 frühere Nachricht. Sie bleibt unverändert; Sie bearbeiten den letzten Wechsel.</translation>
    </message>
    <message>
        <source>This conversation has %1 earlier messages. They are kept as they are; you are editing the last turn.</source>
        <translation>Diese Unterhaltung hat %1 frühere Nachrichten. Sie bleiben unverändert; Sie bearbeiten den letzten Wechsel.</translation>
    </message>
    <message>
        <source>Source: %1 · Last edited: %2</source>
        <translation>Quelle: %1 · Zuletzt bearbeitet: %2</translation>
    </message>
</context>
<context>
    <name>ts::ui::ExamplesModel</name>
    <message>
        <source>golden</source>
        <translation>golden</translation>
    </message>
    <message>
        <source>synthetic</source>
        <translation>synthetisch</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>importiert</translation>
    </message>
    <message>
        <source>Cannot read the examples: %1</source>
        <translation>Die Beispiele können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Ideal output</source>
        <translation>Ideale Ausgabe</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Split</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Last edited</source>
        <translation>Zuletzt bearbeitet</translation>
    </message>
    <message>
        <source>Cannot save the change: %1</source>
        <translation>Die Änderung kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Cannot add the examples: %1</source>
        <translation>Die Beispiele können nicht hinzugefügt werden: %1</translation>
    </message>
    <message>
        <source>Cannot delete the examples: %1</source>
        <translation>Die Beispiele können nicht gelöscht werden: %1</translation>
    </message>
</context>
<context>
    <name>ts::ui::ExamplesPage</name>
    <message>
        <source>Examples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>&amp;Add Example</source>
        <translation>Beispiel &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Add an empty example (Insert)</source>
        <translation>Ein leeres Beispiel hinzufügen (Einfg)</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>Duplicate the selected examples (Ctrl+D)</source>
        <translation>Die ausgewählten Beispiele duplizieren (Strg+D)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Delete the selected examples (Del)</source>
        <translation>Die ausgewählten Beispiele löschen (Entf)</translation>
    </message>
    <message>
        <source>Set &amp;Split</source>
        <translation>&amp;Split festlegen</translation>
    </message>
    <message>
        <source>Move the selected examples to the train, eval or test split</source>
        <translation>Die ausgewählten Beispiele in den Split train, eval oder test verschieben</translation>
    </message>
    <message>
        <source>Add &amp;Tags…</source>
        <translation>&amp;Tags hinzufügen…</translation>
    </message>
    <message>
        <source>Add tags to the selected examples (Ctrl+T)</source>
        <translation>Den ausgewählten Beispielen Tags hinzufügen (Strg+T)</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren…</translation>
    </message>
    <message>
        <source>Import examples from a JSONL, JSON or CSV file (Ctrl+I)</source>
        <translation>Beispiele aus einer JSONL-, JSON- oder CSV-Datei importieren (Strg+I)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Export examples to a dataset file (Ctrl+E)</source>
        <translation>Beispiele in eine Datensatzdatei exportieren (Strg+E)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>Su&amp;chen…</translation>
    </message>
    <message>
        <source>Search input and ideal output (Ctrl+F)</source>
        <translation>Eingabe und ideale Ausgabe durchsuchen (Strg+F)</translation>
    </message>
    <message>
        <source>S&amp;plit:</source>
        <translation>S&amp;plit:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Ta&amp;g:</source>
        <translation>Ta&amp;g:</translation>
    </message>
    <message>
        <source>1 example</source>
        <translation>1 Beispiel</translation>
    </message>
    <message>
        <source>1 example (none shown)</source>
        <translation>1 Beispiel (keines angezeigt)</translation>
    </message>
    <message>
        <source>%1 examples</source>
        <translation>%1 Beispiele</translation>
    </message>
    <message>
        <source>%1 examples (%2 shown)</source>
        <translation>%1 Beispiele (%2 angezeigt)</translation>
    </message>
    <message>
        <source>Add Tags</source>
        <translation>Tags hinzufügen</translation>
    </message>
    <message>
        <source>Tags to add to the selected examples, comma-separated:</source>
        <translation>Tags für die ausgewählten Beispiele, durch Kommas getrennt:</translation>
    </message>
    <message>
        <source>Import Examples</source>
        <translation>Beispiele importieren</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv);;All files (*)</source>
        <translation>Datensätze (*.jsonl *.json *.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Imported %1 examples from %2.</source>
        <translation>%1 Beispiele aus %2 importiert.</translation>
    </message>
</context>
<context>
    <name>ts::ui::ExportDialog</name>
    <message>
        <source>Export Examples</source>
        <translation>Beispiele exportieren</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Only the selected rows (%1)</source>
        <translation>Nur die ausgewählten Zeilen (%1)</translation>
    </message>
    <message>
        <source>All shown rows (%1)</source>
        <translation>Alle angezeigten Zeilen (%1)</translation>
    </message>
    <message>
        <source>The whole project (%1)</source>
        <translation>Das ganze Projekt (%1)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>%1 files (*.%2);;All files (*)</source>
        <translation>%1-Dateien (*.%2);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 existiert bereits. Ersetzen?</translation>
    </message>
    <message>
        <source>Another job is running; wait for it to finish.</source>
        <translation>Ein anderer Auftrag läuft; warten Sie, bis er fertig ist.</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>%1 wird geschrieben…</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>Could not export to %1: %2</source>
        <translation>Export nach %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Exported %1 examples to %2.</source>
        <translation>%1 Beispiele nach %2 exportiert.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>ts::ui::ImportDialog</name>
    <message>
        <source>Import Examples</source>
        <translation>Beispiele importieren</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Datei:</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <source>CSV columns</source>
        <translation>CSV-Spalten</translation>
    </message>
    <message>
        <source>The first row holds column names</source>
        <translation>Die erste Zeile enthält die Spaltennamen</translation>
    </message>
    <message>
        <source>Input:</source>
        <translation>Eingabe:</translation>
    </message>
    <message>
        <source>Ideal output:</source>
        <translation>Ideale Ausgabe:</translation>
    </message>
    <message>
        <source>System:</source>
        <translation>System:</translation>
    </message>
    <message>
        <source>Split:</source>
        <translation>Split:</translation>
    </message>
    <message>
        <source>Tags:</source>
        <translation>Tags:</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>Import only valid rows (skip the others)</source>
        <translation>Nur gültige Zeilen importieren (die anderen überspringen)</translation>
    </message>
    <message>
        <source>As in the file</source>
        <translation>Wie in der Datei</translation>
    </message>
    <message>
        <source>Put all rows in split:</source>
        <translation>Alle Zeilen in diesen Split:</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv);;All files (*)</source>
        <translation>Datensätze (*.jsonl *.json *.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The format could not be recognised; choose it above.</source>
        <translation>Das Format wurde nicht erkannt; wählen Sie es oben aus.</translation>
    </message>
    <message>
        <source>(not mapped)</source>
        <translation>(nicht zugeordnet)</translation>
    </message>
    <message>
        <source>Cannot read the CSV file: %1</source>
        <translation>Die CSV-Datei kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>Spalte %1</translation>
    </message>
    <message>
        <source>Map a column to Input and one to Ideal output.</source>
        <translation>Ordnen Sie der Eingabe und der idealen Ausgabe je eine Spalte zu.</translation>
    </message>
    <message>
        <source>Another job is running; wait for it to finish.</source>
        <translation>Ein anderer Auftrag läuft; warten Sie, bis er fertig ist.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… und %1 weitere</translation>
    </message>
    <message>
        <source>Import cancelled. The project is unchanged.</source>
        <translation>Import abgebrochen. Das Projekt ist unverändert.</translation>
    </message>
    <message>
        <source>%1 was not imported: %2 of %3 rows have problems. The project is unchanged. Fix the rows, or check &quot;Import only valid rows&quot;.</source>
        <translation>%1 wurde nicht importiert: %2 von %3 Zeilen sind fehlerhaft. Das Projekt ist unverändert. Korrigieren Sie die Zeilen oder wählen Sie „Nur gültige Zeilen importieren“.</translation>
    </message>
    <message>
        <source>%1 was not imported: %2</source>
        <translation>%1 wurde nicht importiert: %2</translation>
    </message>
    <message>
        <source>Imported %1 examples from %2; skipped %3 invalid rows:</source>
        <translation>%1 Beispiele aus %2 importiert; %3 ungültige Zeilen übersprungen:</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>ts::ui::MainWindow</name>
    <message>
        <source>Tunesmith projects (*.tunesmith);;All files (*)</source>
        <translation>Tunesmith-Projekte (*.tunesmith);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Golden examples</source>
        <translation>Goldene Beispiele</translation>
    </message>
    <message>
        <source>Prompt lab</source>
        <translation>Prompt-Labor</translation>
    </message>
    <message>
        <source>Run prompt variants (system prompt, few-shot picks, output format) against the eval split on one or more models, and compare their outputs side by side with scores, confidence intervals, latency, tokens and cost.</source>
        <translation>Prompt-Varianten (Systemprompt, Few-Shot-Auswahl, Ausgabeformat) auf dem eval-Split mit einem oder mehreren Modellen ausführen und die Ausgaben nebeneinander vergleichen, mit Bewertungen, Konfidenzintervallen, Latenz, Tokens und Kosten.</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <source>Compare the monthly cost and measured quality of the best prompt on a frontier model with a fine-tuned small model, and show the break-even volume.</source>
        <translation>Monatliche Kosten und gemessene Qualität des besten Prompts auf einem Frontier-Modell mit einem feinabgestimmten kleinen Modell vergleichen und das Break-even-Volumen zeigen.</translation>
    </message>
    <message>
        <source>Synthetic data</source>
        <translation>Synthetische Daten</translation>
    </message>
    <message>
        <source>Grow the train split with Evol-Instruct using a teacher model, filter and de-duplicate the new rows, and let you review them before they join the training set.</source>
        <translation>Den train-Split mit Evol-Instruct und einem Lehrermodell erweitern, die neuen Zeilen filtern und deduplizieren und sie zur Prüfung vorlegen, bevor sie in die Trainingsdaten kommen.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Fine-tune a local base model with QLoRA, with live loss, learning-rate and throughput plots, checkpoints, cancel and resume.</source>
        <translation>Ein lokales Basismodell mit QLoRA feinabstimmen, mit Live-Diagrammen für Loss, Lernrate und Durchsatz, Checkpoints, Abbrechen und Fortsetzen.</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Evaluierung</translation>
    </message>
    <message>
        <source>Score the base model with the best prompt, the fine-tuned checkpoints and remote models on the test split, with deterministic metrics and judge scores per checkpoint.</source>
        <translation>Das Basismodell mit dem besten Prompt, die feinabgestimmten Checkpoints und entfernte Modelle auf dem test-Split bewerten, mit deterministischen Metriken und Judge-Bewertungen je Checkpoint.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Export the adapter (PEFT or GGUF), a merged model and an Ollama Modelfile, and check the export against the engine.</source>
        <translation>Den Adapter (PEFT oder GGUF), ein zusammengeführtes Modell und ein Ollama-Modelfile exportieren und den Export gegen die Engine prüfen.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>Open &amp;Demo Project</source>
        <translation>&amp;Demoprojekt öffnen</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <source>&amp;Close Project</source>
        <translation>Projekt &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Rückgängig: %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>&amp;Wiederherstellen: %1</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Tunesmith</source>
        <translation>&amp;Über Tunesmith</translation>
    </message>
    <message>
        <source>%1 — Tunesmith</source>
        <translation>%1 — Tunesmith</translation>
    </message>
    <message>
        <source>Tunesmith</source>
        <translation>Tunesmith</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>Keine zuletzt geöffneten Projekte</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <source>Job Running</source>
        <translation>Auftrag läuft</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is still running. Cancel it?</source>
        <translation>„%1“ läuft noch. Abbrechen?</translation>
    </message>
    <message>
        <source>Cannot Open Project</source>
        <translation>Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <source>Tunesmith could not open %1.

%2</source>
        <translation>Tunesmith konnte %1 nicht öffnen.

%2</translation>
    </message>
    <message>
        <source>The project was upgraded to the current format; the old file was kept as %1.</source>
        <translation>Das Projekt wurde auf das aktuelle Format aktualisiert; die alte Datei wurde als %1 aufbewahrt.</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>%1 already exists. Choose another name, or open it with File ▸ Open Project.</source>
        <translation>%1 existiert bereits. Wählen Sie einen anderen Namen oder öffnen Sie die Datei mit Datei ▸ Projekt öffnen.</translation>
    </message>
    <message>
        <source>Tunesmith could not create %1.

%2</source>
        <translation>Tunesmith konnte %1 nicht anlegen.

%2</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>Projekt speichern unter</translation>
    </message>
    <message>
        <source>%1 already exists. Choose another name.</source>
        <translation>%1 existiert bereits. Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>Tunesmith could not save a copy to %1.

%2</source>
        <translation>Tunesmith konnte keine Kopie unter %1 speichern.

%2</translation>
    </message>
    <message>
        <source>Saved a copy as %1; you are now working in the copy.</source>
        <translation>Kopie als %1 gespeichert; Sie arbeiten jetzt in der Kopie.</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>-copy</source>
        <translation>-kopie</translation>
    </message>
    <message>
        <source>Open Demo</source>
        <translation>Demo öffnen</translation>
    </message>
    <message>
        <source>The demo dataset is not part of this build.</source>
        <translation>Der Demo-Datensatz ist in diesem Build nicht enthalten.</translation>
    </message>
    <message>
        <source>Opened the demo project.</source>
        <translation>Das Demoprojekt wurde geöffnet.</translation>
    </message>
    <message>
        <source>The demo data could not be imported.

%1</source>
        <translation>Die Demodaten konnten nicht importiert werden.

%1</translation>
    </message>
    <message>
        <source>1 example</source>
        <translation>1 Beispiel</translation>
    </message>
    <message>
        <source>%1 examples</source>
        <translation>%1 Beispiele</translation>
    </message>
    <message>
        <source>%1 examples (%2 shown)</source>
        <translation>%1 Beispiele (%2 angezeigt)</translation>
    </message>
    <message>
        <source>About Tunesmith</source>
        <translation>Über Tunesmith</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Tunesmith %1&lt;/h3&gt;&lt;p&gt;A workbench for deciding between a better prompt and a fine-tuned model: curate golden examples, compare prompt variants, fine-tune small models with QLoRA and evaluate them with measured numbers.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Tunesmith %1&lt;/h3&gt;&lt;p&gt;Eine Werkbank für die Entscheidung zwischen einem besseren Prompt und einem feinabgestimmten Modell: goldene Beispiele pflegen, Prompt-Varianten vergleichen, kleine Modelle mit QLoRA feinabstimmen und mit gemessenen Zahlen bewerten.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ts::ui::MemoryPanel</name>
    <message>
        <source>Base linear weights</source>
        <translation>Lineare Basisgewichte</translation>
    </message>
    <message>
        <source>Embeddings, LM head, norms, biases</source>
        <translation>Embeddings, LM-Head, Normen, Biases</translation>
    </message>
    <message>
        <source>Trainable parameters</source>
        <translation>Trainierbare Parameter</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>Gradienten</translation>
    </message>
    <message>
        <source>Optimizer state (AdamW)</source>
        <translation>Optimiererzustand (AdamW)</translation>
    </message>
    <message>
        <source>Dequantization buffer</source>
        <translation>Dequantisierungspuffer</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Aktivierungen</translation>
    </message>
    <message>
        <source>Backward working set</source>
        <translation>Arbeitsspeicher des Rückwärtsdurchlaufs</translation>
    </message>
    <message>
        <source>Logits and loss</source>
        <translation>Logits und Loss</translation>
    </message>
    <message>
        <source>Framework overhead</source>
        <translation>Framework-Overhead</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Teil</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>How it is counted</source>
        <translation>Wie er berechnet wird</translation>
    </message>
    <message>
        <source>Apply &amp;Suggestion</source>
        <translation>&amp;Vorschlag übernehmen</translation>
    </message>
    <message>
        <source>Change the settings as suggested, keeping the effective batch size.</source>
        <translation>Die Einstellungen wie vorgeschlagen ändern; die effektive Batchgröße bleibt gleich.</translation>
    </message>
    <message>
        <source>Memory: %1 of %2</source>
        <translation>Speicher: %1 von %2</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <source>Training runs on the CPU; available: %1 of physical memory.</source>
        <translation>Das Training läuft auf der CPU; verfügbar: %1 physischer Arbeitsspeicher.</translation>
    </message>
    <message>
        <source>Training runs on the CPU; the physical memory size is unknown.</source>
        <translation>Das Training läuft auf der CPU; die Größe des physischen Arbeitsspeichers ist unbekannt.</translation>
    </message>
    <message>
        <source>Choose a model to see how much memory training needs.</source>
        <translation>Wählen Sie ein Modell, um zu sehen, wie viel Speicher das Training braucht.</translation>
    </message>
    <message>
        <source>Fix the settings to see how much memory training needs.</source>
        <translation>Korrigieren Sie die Einstellungen, um zu sehen, wie viel Speicher das Training braucht.</translation>
    </message>
    <message>
        <source>Total: %1 of %2 available</source>
        <translation>Gesamt: %1 von %2 verfügbar</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Gesamt: %1</translation>
    </message>
    <message>
        <source>%1 parameters in the model, %2 trained.</source>
        <translation>%1 Parameter im Modell, %2 davon trainiert.</translation>
    </message>
    <message>
        <source>Training will probably run out of memory: it needs about %1, %2 is available.</source>
        <translation>Dem Training wird voraussichtlich der Speicher ausgehen: Es braucht etwa %1, verfügbar sind %2.</translation>
    </message>
    <message>
        <source>Suggestion: %1.</source>
        <translation>Vorschlag: %1.</translation>
    </message>
    <message>
        <source>No setting makes it fit: %1. Choose a smaller model.</source>
        <translation>Keine Einstellung reicht aus: %1. Wählen Sie ein kleineres Modell.</translation>
    </message>
</context>
<context>
    <name>ts::ui::MetricsPlot</name>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>No points yet</source>
        <translation>Noch keine Punkte</translation>
    </message>
    <message>
        <source>run %1 %2</source>
        <translation>Lauf %1 %2</translation>
    </message>
</context>
<context>
    <name>ts::ui::ModelPicker</name>
    <message>
        <source>&amp;Base model:</source>
        <translation>&amp;Basismodell:</translation>
    </message>
    <message>
        <source>A Hugging Face model folder (config.json, *.safetensors, tokenizer.json)</source>
        <translation>Ein Hugging-Face-Modellordner (config.json, *.safetensors, tokenizer.json)</translation>
    </message>
    <message>
        <source>The local folder of the base model to fine-tune, as downloaded from Hugging Face: config.json, the weights as *.safetensors, tokenizer.json and tokenizer_config.json (with the chat template). Llama, Mistral and Qwen2 architectures are supported.</source>
        <translation>Der lokale Ordner des Basismodells, wie er von Hugging Face geladen wurde: config.json, die Gewichte als *.safetensors, tokenizer.json und tokenizer_config.json (mit der Chat-Vorlage). Unterstützt werden die Architekturen Llama, Mistral und Qwen2.</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the model folder&apos;s config.json</source>
        <translation>Die config.json des Modellordners wählen</translation>
    </message>
    <message>
        <source>Choose the Model&apos;s config.json</source>
        <translation>config.json des Modells wählen</translation>
    </message>
    <message>
        <source>Model configuration (config.json);;All files (*)</source>
        <translation>Modellkonfiguration (config.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Der Ordner %1 existiert nicht.</translation>
    </message>
    <message>
        <source>%1 has no config.json, so it is not a Hugging Face model folder. Choose the folder that holds config.json, the *.safetensors weights and tokenizer.json.</source>
        <translation>%1 enthält keine config.json und ist daher kein Hugging-Face-Modellordner. Wählen Sie den Ordner mit config.json, den *.safetensors-Gewichten und tokenizer.json.</translation>
    </message>
    <message>
        <source>The model&apos;s config.json cannot be used: %1</source>
        <translation>Die config.json des Modells ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>%1 has no tokenizer.json; training needs the model&apos;s own tokenizer.</source>
        <translation>%1 enthält keine tokenizer.json; das Training braucht den Tokenizer des Modells.</translation>
    </message>
    <message>
        <source>%1 has no *.safetensors weights.</source>
        <translation>%1 enthält keine *.safetensors-Gewichte.</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 Parameter</translation>
    </message>
    <message>
        <source>%1 layers</source>
        <translation>%1 Schichten</translation>
    </message>
    <message>
        <source>hidden %1</source>
        <translation>Breite %1</translation>
    </message>
    <message>
        <source>%1 heads (%2 KV)</source>
        <translation>%1 Köpfe (%2 KV)</translation>
    </message>
    <message>
        <source>%1 heads</source>
        <translation>%1 Köpfe</translation>
    </message>
    <message>
        <source>vocabulary %1</source>
        <translation>Vokabular %1</translation>
    </message>
    <message>
        <source>context %1</source>
        <translation>Kontext %1</translation>
    </message>
    <message>
        <source>pre-quantized (%1)</source>
        <translation>vorquantisiert (%1)</translation>
    </message>
    <message>
        <source>Choose the base model to fine-tune.</source>
        <translation>Wählen Sie das Basismodell für das Fine-Tuning.</translation>
    </message>
</context>
<context>
    <name>ts::ui::RunsModel</name>
    <message>
        <source>pending</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>Run %1. Check it to plot its metrics; the line colour is the square&apos;s.</source>
        <translation>Lauf %1. Anhaken, um seine Metriken zu zeichnen; die Linienfarbe ist die des Quadrats.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
</context>
<context>
    <name>ts::ui::SamplePreview</name>
    <message>
        <source>&lt;span style=&quot;background-color: rgba(%1,%2,%3,%4)&quot;&gt;&amp;nbsp;learned&amp;nbsp;&lt;/span&gt; the loss is computed on these tokens &amp;nbsp;&amp;nbsp; &lt;span style=&quot;color: %5&quot;&gt;context&lt;/span&gt; masked, not learned</source>
        <translation>&lt;span style=&quot;background-color: rgba(%1,%2,%3,%4)&quot;&gt;&amp;nbsp;gelernt&amp;nbsp;&lt;/span&gt; auf diesen Tokens wird der Loss berechnet &amp;nbsp;&amp;nbsp; &lt;span style=&quot;color: %5&quot;&gt;Kontext&lt;/span&gt; maskiert, nicht gelernt</translation>
    </message>
    <message>
        <source>E&amp;xample:</source>
        <translation>Bei&amp;spiel:</translation>
    </message>
    <message>
        <source>Which example of the train split to preview</source>
        <translation>Welches Beispiel des Trainings-Splits angezeigt wird</translation>
    </message>
    <message>
        <source>The example rendered with the model&apos;s chat template, as the trainer sees it. Greyed text is context (masked from the loss); highlighted text is what the model learns to write.</source>
        <translation>Das Beispiel, mit der Chat-Vorlage des Modells gerendert, so wie das Training es sieht. Grauer Text ist Kontext (vom Loss ausgenommen); hervorgehobener Text ist das, was das Modell schreiben lernt.</translation>
    </message>
    <message>
        <source>Open a project to preview its training data.</source>
        <translation>Öffnen Sie ein Projekt, um seine Trainingsdaten anzusehen.</translation>
    </message>
    <message>
        <source>Choose a base model: the preview uses its tokenizer and chat template.</source>
        <translation>Wählen Sie ein Basismodell: Die Vorschau verwendet seinen Tokenizer und seine Chat-Vorlage.</translation>
    </message>
    <message>
        <source>The project cannot be read: %1</source>
        <translation>Das Projekt kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Loading the tokenizer and chat template…</source>
        <translation>Tokenizer und Chat-Vorlage werden geladen…</translation>
    </message>
    <message>
        <source>The tokenizer could not be loaded: %1</source>
        <translation>Der Tokenizer konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>The model has no usable chat template (chat_template.jinja, or &quot;chat_template&quot; in tokenizer_config.json), so conversations cannot be rendered the way the model expects: %1</source>
        <translation>Das Modell hat keine verwendbare Chat-Vorlage (chat_template.jinja oder &quot;chat_template&quot; in tokenizer_config.json), daher können Gespräche nicht so gerendert werden, wie das Modell es erwartet: %1</translation>
    </message>
    <message>
        <source>The chat template cannot be used: %1</source>
        <translation>Die Chat-Vorlage ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>The train split cannot be read: %1</source>
        <translation>Der Trainings-Split kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The train split has no examples yet. Add examples on the Golden examples page, or move some to the train split.</source>
        <translation>Der Trainings-Split enthält noch keine Beispiele. Fügen Sie auf der Seite „Goldene Beispiele“ welche hinzu oder verschieben Sie Beispiele in den Trainings-Split.</translation>
    </message>
    <message>
        <source>The example cannot be read: %1</source>
        <translation>Das Beispiel kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>it was deleted</source>
        <translation>es wurde gelöscht</translation>
    </message>
    <message>
        <source>This example cannot be turned into training data: %1</source>
        <translation>Aus diesem Beispiel lassen sich keine Trainingsdaten machen: %1</translation>
    </message>
    <message>
        <source>of %1</source>
        <translation>von %1</translation>
    </message>
    <message>
        <source>Example #%1: %2 tokens, %3 learned (%4%).</source>
        <translation>Beispiel #%1: %2 Tokens, %3 gelernt (%4 %).</translation>
    </message>
    <message>
        <source>Nothing is learned from this example: it has no assistant answer.</source>
        <translation>Aus diesem Beispiel wird nichts gelernt: Es hat keine Antwort des Assistenten.</translation>
    </message>
    <message>
        <source>It is longer than the maximum sequence length (%1 tokens): the struck-out part is cut off, or the whole example dropped, depending on the setting.</source>
        <translation>Es ist länger als die maximale Sequenzlänge (%1 Tokens): Je nach Einstellung wird der durchgestrichene Teil abgeschnitten oder das ganze Beispiel weggelassen.</translation>
    </message>
    <message>
        <source>The tokenizer merges tokens across the context / answer boundary; the whole text&apos;s tokens are used.</source>
        <translation>Der Tokenizer verschmilzt Tokens über die Grenze zwischen Kontext und Antwort; es werden die Tokens des ganzen Textes verwendet.</translation>
    </message>
</context>
<context>
    <name>ts::ui::TrainProgress</name>
    <message>
        <source>Starting…</source>
        <translation>Startet…</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>Loss %1</translation>
    </message>
    <message>
        <source>eval loss %1</source>
        <translation>Eval-Loss %1</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 Tokens/s</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 vergangen</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>noch etwa %1</translation>
    </message>
    <message>
        <source>estimating time left…</source>
        <translation>Restzeit wird geschätzt…</translation>
    </message>
</context>
<context>
    <name>ts::ui::TrainSettingsForm</name>
    <message>
        <source>The QLoRA paper&apos;s recipe (Dettmers et al. 2023): NF4 base, LoRA r 64 / alpha 16 on all linear layers, dropout 0.1, constant learning rate 2e-4 after 3% warmup, batch 1 × 16 accumulation, gradient clipping at 0.3, gradient checkpointing.</source>
        <translation>Das Rezept aus dem QLoRA-Paper (Dettmers et al. 2023): NF4-Basis, LoRA r 64 / alpha 16 auf allen linearen Schichten, Dropout 0,1, konstante Lernrate 2e-4 nach 3 % Warmup, Batch 1 × 16 Akkumulation, Gradient Clipping bei 0,3, Gradient Checkpointing.</translation>
    </message>
    <message>
        <source>For tiny models and quick checks on a CPU: LoRA r 8 / alpha 16, no dropout, learning rate 1e-3 with a cosine decay, batch 4, 200 steps, no gradient checkpointing.</source>
        <translation>Für sehr kleine Modelle und schnelle Versuche auf einer CPU: LoRA r 8 / alpha 16, kein Dropout, Lernrate 1e-3 mit Kosinus-Abfall, Batch 4, 200 Schritte, kein Gradient Checkpointing.</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Eigene</translation>
    </message>
    <message>
        <source>&amp;Preset:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <source>A starting point for every setting below. Editing a field afterwards makes the settings &quot;Custom&quot;.</source>
        <translation>Ein Ausgangspunkt für alle Einstellungen darunter. Wer danach ein Feld ändert, macht daraus „Eigene“ Einstellungen.</translation>
    </message>
    <message>
        <source>What is trained</source>
        <translation>Was trainiert wird</translation>
    </message>
    <message>
        <source>Quantize the base model to 4 bit (QLoRA)</source>
        <translation>Basismodell auf 4 Bit quantisieren (QLoRA)</translation>
    </message>
    <message>
        <source>Stores the frozen base weights as NF4 (4-bit NormalFloat with double quantization, as bitsandbytes does), about a quarter of their 16-bit size. Training memory drops a lot; quality stays close to 16-bit LoRA. Off: the base stays in the compute type.</source>
        <translation>Speichert die eingefrorenen Basisgewichte als NF4 (4-Bit-NormalFloat mit doppelter Quantisierung wie bei bitsandbytes), etwa ein Viertel ihrer 16-Bit-Größe. Der Speicherbedarf sinkt stark; die Qualität bleibt nahe an 16-Bit-LoRA. Aus: Die Basis bleibt im Rechentyp.</translation>
    </message>
    <message>
        <source>Train every weight (full fine-tuning)</source>
        <translation>Alle Gewichte trainieren (volles Fine-Tuning)</translation>
    </message>
    <message>
        <source>Trains all weights in 32-bit with AdamW instead of a small LoRA adapter. Needs about 16 bytes per parameter, so it is only sensible for small models; the result is a whole model rather than an adapter.</source>
        <translation>Trainiert alle Gewichte in 32 Bit mit AdamW statt eines kleinen LoRA-Adapters. Braucht etwa 16 Byte pro Parameter und ist daher nur für kleine Modelle sinnvoll; das Ergebnis ist ein ganzes Modell statt eines Adapters.</translation>
    </message>
    <message>
        <source>LoRA adapter</source>
        <translation>LoRA-Adapter</translation>
    </message>
    <message>
        <source>&amp;Rank r:</source>
        <translation>&amp;Rang r:</translation>
    </message>
    <message>
        <source>Size of the low-rank update B·A added to each target layer. Higher ranks can learn more and cost more memory and time; 8–64 is usual.</source>
        <translation>Größe der Niedrigrang-Änderung B·A, die zu jeder Zielschicht addiert wird. Höhere Ränge können mehr lernen und kosten mehr Speicher und Zeit; üblich sind 8–64.</translation>
    </message>
    <message>
        <source>&amp;Alpha:</source>
        <translation>&amp;Alpha:</translation>
    </message>
    <message>
        <source>Scale of the update: it is multiplied by alpha / r (alpha / √r with rank-stabilized LoRA). With a fixed alpha, changing r does not change the effective learning rate much.</source>
        <translation>Skalierung der Änderung: Sie wird mit alpha / r multipliziert (alpha / √r bei rangstabilisiertem LoRA). Bei festem alpha ändert ein anderes r die effektive Lernrate kaum.</translation>
    </message>
    <message>
        <source>&amp;Dropout:</source>
        <translation>&amp;Dropout:</translation>
    </message>
    <message>
        <source>Probability of zeroing each input of the adapter during training; a regularizer against over-fitting small datasets. 0 turns it off.</source>
        <translation>Wahrscheinlichkeit, mit der jede Eingabe des Adapters im Training auf null gesetzt wird; ein Regularisierer gegen Überanpassung an kleine Datensätze. 0 schaltet ihn aus.</translation>
    </message>
    <message>
        <source>Rank-stabilized scaling (rsLoRA)</source>
        <translation>Rangstabilisierte Skalierung (rsLoRA)</translation>
    </message>
    <message>
        <source>Scale the update by alpha / √r instead of alpha / r, which keeps learning stable at high ranks (Kalajdzievski 2023).</source>
        <translation>Skaliert die Änderung mit alpha / √r statt alpha / r, was das Lernen bei hohen Rängen stabil hält (Kalajdzievski 2023).</translation>
    </message>
    <message>
        <source>The layers that get an adapter, by their module name: the attention projections (q, k, v, o) and the feed-forward layers (gate, up, down). All seven, as the QLoRA paper does, gives the best quality; attention only is smaller and faster.</source>
        <translation>Die Schichten, die einen Adapter bekommen, nach Modulname: die Attention-Projektionen (q, k, v, o) und die Feed-Forward-Schichten (gate, up, down). Alle sieben, wie im QLoRA-Paper, ergeben die beste Qualität; nur Attention ist kleiner und schneller.</translation>
    </message>
    <message>
        <source>Target modules:</source>
        <translation>Zielmodule:</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Max &amp;sequence length:</source>
        <translation>Max. &amp;Sequenzlänge:</translation>
    </message>
    <message>
        <source>Longest training sequence in tokens (chat template included). Activation memory grows with it; longer examples are truncated or dropped, see below. The sample preview shows an example&apos;s length.</source>
        <translation>Längste Trainingssequenz in Tokens (einschließlich Chat-Vorlage). Der Speicher für Aktivierungen wächst damit; längere Beispiele werden gekürzt oder weggelassen, siehe unten. Die Beispielvorschau zeigt die Länge eines Beispiels.</translation>
    </message>
    <message>
        <source>Truncate</source>
        <translation>Kürzen</translation>
    </message>
    <message>
        <source>Drop</source>
        <translation>Weglassen</translation>
    </message>
    <message>
        <source>Longer examples:</source>
        <translation>Längere Beispiele:</translation>
    </message>
    <message>
        <source>Truncate: keep the first tokens up to the maximum length (the end of the answer is lost). Drop: leave such examples out.</source>
        <translation>Kürzen: die ersten Tokens bis zur maximalen Länge behalten (das Ende der Antwort geht verloren). Weglassen: solche Beispiele auslassen.</translation>
    </message>
    <message>
        <source>Pack short examples together</source>
        <translation>Kurze Beispiele zusammenpacken</translation>
    </message>
    <message>
        <source>Fills each sequence with several examples (attention stays within each one), so fewer tokens are padding and an epoch takes fewer steps.</source>
        <translation>Füllt jede Sequenz mit mehreren Beispielen (die Attention bleibt innerhalb jedes Beispiels), sodass weniger Tokens Auffüllung sind und eine Epoche weniger Schritte braucht.</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>Optimierung</translation>
    </message>
    <message>
        <source>&amp;Micro-batch:</source>
        <translation>&amp;Mikro-Batch:</translation>
    </message>
    <message>
        <source>Sequences processed together in one forward and backward pass. Memory grows with it; lower it (and raise accumulation) when memory is short.</source>
        <translation>Sequenzen, die in einem Vorwärts- und Rückwärtsdurchlauf gemeinsam verarbeitet werden. Der Speicherbedarf wächst damit; bei knappem Speicher verkleinern (und die Akkumulation erhöhen).</translation>
    </message>
    <message>
        <source>&amp;Gradient accumulation:</source>
        <translation>&amp;Gradientenakkumulation:</translation>
    </message>
    <message>
        <source>Micro-batches whose gradients are summed before one optimizer step. The effective batch is micro-batch × accumulation, at no extra memory.</source>
        <translation>Mikro-Batches, deren Gradienten vor einem Optimiererschritt summiert werden. Der effektive Batch ist Mikro-Batch × Akkumulation, ohne zusätzlichen Speicher.</translation>
    </message>
    <message>
        <source>&amp;Steps:</source>
        <translation>&amp;Schritte:</translation>
    </message>
    <message>
        <source>Optimizer steps to train for. Each step sees one effective batch; the data repeats (reshuffled) when an epoch ends.</source>
        <translation>Anzahl der Optimiererschritte. Jeder Schritt sieht einen effektiven Batch; am Ende einer Epoche wiederholen sich die Daten (neu gemischt).</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>&amp;Lernrate:</translation>
    </message>
    <message>
        <source>Peak step size of AdamW, e.g. 2e-4 for QLoRA, 1e-5 for full fine-tuning. Too high: the loss jumps or diverges; too low: it barely moves.</source>
        <translation>Höchste Schrittweite von AdamW, z. B. 2e-4 für QLoRA, 1e-5 für volles Fine-Tuning. Zu hoch: Der Loss springt oder divergiert; zu niedrig: Er bewegt sich kaum.</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>Konstant</translation>
    </message>
    <message>
        <source>Sc&amp;hedule:</source>
        <translation>Ver&amp;lauf:</translation>
    </message>
    <message>
        <source>How the learning rate changes after warmup: cosine and linear decay it to zero by the last step, constant keeps it.</source>
        <translation>Wie sich die Lernrate nach dem Warmup ändert: Kosinus und linear senken sie bis zum letzten Schritt auf null, konstant behält sie bei.</translation>
    </message>
    <message>
        <source>&amp;Warmup ratio:</source>
        <translation>&amp;Warmup-Anteil:</translation>
    </message>
    <message>
        <source>Share of the steps over which the learning rate rises linearly from zero, which avoids large early updates (0.03 = the first 3%).</source>
        <translation>Anteil der Schritte, über den die Lernrate linear von null ansteigt; das vermeidet große frühe Änderungen (0,03 = die ersten 3 %).</translation>
    </message>
    <message>
        <source>Weight &amp;decay:</source>
        <translation>Weight &amp;Decay:</translation>
    </message>
    <message>
        <source>AdamW&apos;s decoupled weight decay: pulls the trained weights towards zero each step. Usually 0 for LoRA.</source>
        <translation>Entkoppelter Weight Decay von AdamW: zieht die trainierten Gewichte bei jedem Schritt Richtung null. Bei LoRA meist 0.</translation>
    </message>
    <message>
        <source>Adam β&amp;1:</source>
        <translation>Adam β&amp;1:</translation>
    </message>
    <message>
        <source>Decay of AdamW&apos;s running mean of gradients (momentum). 0.9 is standard.</source>
        <translation>Abklingrate des gleitenden Mittels der Gradienten in AdamW (Momentum). Standard ist 0,9.</translation>
    </message>
    <message>
        <source>Adam β&amp;2:</source>
        <translation>Adam β&amp;2:</translation>
    </message>
    <message>
        <source>Decay of AdamW&apos;s running mean of squared gradients. 0.999 is standard; 0.95–0.99 reacts faster to changing gradients.</source>
        <translation>Abklingrate des gleitenden Mittels der quadrierten Gradienten in AdamW. Standard ist 0,999; 0,95–0,99 reagiert schneller auf sich ändernde Gradienten.</translation>
    </message>
    <message>
        <source>Adam &amp;epsilon:</source>
        <translation>Adam &amp;Epsilon:</translation>
    </message>
    <message>
        <source>Added to the denominator of AdamW&apos;s update for numerical stability, e.g. 1e-8.</source>
        <translation>Wird zur numerischen Stabilität zum Nenner der AdamW-Änderung addiert, z. B. 1e-8.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>&amp;Clip gradient norm:</source>
        <translation>Gradientennorm &amp;begrenzen:</translation>
    </message>
    <message>
        <source>Gradients whose overall (L2) norm is larger are scaled down to it before the step, which keeps single bad batches from derailing training. 0 turns clipping off. The grad norm chart shows the norm before clipping.</source>
        <translation>Gradienten mit größerer Gesamtnorm (L2) werden vor dem Schritt auf diesen Wert herunterskaliert; so bringen einzelne schlechte Batches das Training nicht aus der Bahn. 0 schaltet die Begrenzung aus. Das Diagramm der Gradientennorm zeigt die Norm vor der Begrenzung.</translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation>Gradient Checkpointing</translation>
    </message>
    <message>
        <source>Keeps only each decoder layer&apos;s input during the forward pass and recomputes the rest in the backward pass: much less activation memory for about a third more compute.</source>
        <translation>Behält im Vorwärtsdurchlauf nur die Eingabe jeder Decoder-Schicht und berechnet den Rest im Rückwärtsdurchlauf neu: viel weniger Speicher für Aktivierungen bei etwa einem Drittel mehr Rechenzeit.</translation>
    </message>
    <message>
        <source>Logging and checkpoints</source>
        <translation>Protokoll und Checkpoints</translation>
    </message>
    <message>
        <source>Log e&amp;very:</source>
        <translation>Pro&amp;tokollieren alle:</translation>
    </message>
    <message>
        <source>Record train loss, learning rate, grad norm and tokens per second every this many steps (the charts&apos; resolution).</source>
        <translation>Trainings-Loss, Lernrate, Gradientennorm und Tokens pro Sekunde alle so viele Schritte aufzeichnen (die Auflösung der Diagramme).</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>E&amp;valuate every:</source>
        <translation>E&amp;valuieren alle:</translation>
    </message>
    <message>
        <source>Compute the loss on the eval split every this many steps; a rising eval loss while train loss falls means over-fitting. 0: never.</source>
        <translation>Den Loss auf dem Eval-Split alle so viele Schritte berechnen; steigt der Eval-Loss, während der Trainings-Loss fällt, passt sich das Modell zu stark an. 0: nie.</translation>
    </message>
    <message>
        <source>at the end</source>
        <translation>am Ende</translation>
    </message>
    <message>
        <source>Chec&amp;kpoint every:</source>
        <translation>Chec&amp;kpoint alle:</translation>
    </message>
    <message>
        <source>Save the adapter and optimizer state every this many steps, so a run can be resumed or an earlier checkpoint evaluated. A checkpoint is also saved at the end and when you cancel.</source>
        <translation>Adapter und Optimiererzustand alle so viele Schritte speichern, damit ein Lauf fortgesetzt oder ein früherer Checkpoint evaluiert werden kann. Auch am Ende und beim Abbrechen wird ein Checkpoint gespeichert.</translation>
    </message>
    <message>
        <source>See&amp;d:</source>
        <translation>See&amp;d:</translation>
    </message>
    <message>
        <source>Seeds the data order, the adapter&apos;s initial weights and dropout: the same seed and settings give the same run.</source>
        <translation>Startwert für Datenreihenfolge, Anfangsgewichte des Adapters und Dropout: gleicher Seed und gleiche Einstellungen ergeben denselben Lauf.</translation>
    </message>
    <message>
        <source>one per core</source>
        <translation>einer pro Kern</translation>
    </message>
    <message>
        <source>CPU &amp;threads:</source>
        <translation>CPU-&amp;Threads:</translation>
    </message>
    <message>
        <source>Compute threads on the CPU. 0: one per core.</source>
        <translation>Rechen-Threads auf der CPU. 0: einer pro Kern.</translation>
    </message>
    <message>
        <source>Effective batch: %1 sequences per step</source>
        <translation>Effektiver Batch: %1 Sequenzen pro Schritt</translation>
    </message>
    <message>
        <source>LoRA target modules: choose at least one module (or train every weight).</source>
        <translation>LoRA-Zielmodule: Wählen Sie mindestens ein Modul (oder trainieren Sie alle Gewichte).</translation>
    </message>
    <message>
        <source>Learning rate: enter a number above 0 and below 1, such as 2e-4.</source>
        <translation>Lernrate: Geben Sie eine Zahl über 0 und unter 1 ein, etwa 2e-4.</translation>
    </message>
    <message>
        <source>Adam epsilon: enter a number above 0 and below 0.01, such as 1e-8.</source>
        <translation>Adam-Epsilon: Geben Sie eine Zahl über 0 und unter 0,01 ein, etwa 1e-8.</translation>
    </message>
    <message>
        <source>Seed: enter a whole number from 0 to %1.</source>
        <translation>Seed: Geben Sie eine ganze Zahl von 0 bis %1 ein.</translation>
    </message>
    <message>
        <source>Invalid setting: %1</source>
        <translation>Ungültige Einstellung: %1</translation>
    </message>
</context>
<context>
    <name>ts::ui::TrainingPage</name>
    <message>
        <source>the run has no stored settings</source>
        <translation>zu dem Lauf sind keine Einstellungen gespeichert</translation>
    </message>
    <message>
        <source>Cannot read the runs: %1</source>
        <translation>Die Läufe können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>&amp;Start Training</source>
        <translation>Training &amp;starten</translation>
    </message>
    <message>
        <source>Start a new training run with these settings (Ctrl+Return)</source>
        <translation>Einen neuen Trainingslauf mit diesen Einstellungen starten (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>&amp;Cancel Training</source>
        <translation>Training &amp;abbrechen</translation>
    </message>
    <message>
        <source>Stop the run after the current step and save a checkpoint (Esc)</source>
        <translation>Den Lauf nach dem aktuellen Schritt anhalten und einen Checkpoint speichern (Esc)</translation>
    </message>
    <message>
        <source>&amp;Resume Run</source>
        <translation>Lauf &amp;fortsetzen</translation>
    </message>
    <message>
        <source>Continue the selected cancelled or failed run from its newest checkpoint, with its own settings</source>
        <translation>Den ausgewählten abgebrochenen oder fehlgeschlagenen Lauf ab seinem neuesten Checkpoint mit seinen eigenen Einstellungen fortsetzen</translation>
    </message>
    <message>
        <source>Loss (solid: train, dashed: eval)</source>
        <translation>Loss (durchgezogen: Training, gestrichelt: Eval)</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Gradient norm (before clipping)</source>
        <translation>Gradientennorm (vor der Begrenzung)</translation>
    </message>
    <message>
        <source>grad norm</source>
        <translation>Gradientennorm</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>tokens per second</source>
        <translation>Tokens pro Sekunde</translation>
    </message>
    <message>
        <source>Drag to pan, wheel to zoom, double-click to follow the data again.</source>
        <translation>Ziehen verschiebt, das Mausrad zoomt, ein Doppelklick folgt wieder den Daten.</translation>
    </message>
    <message>
        <source>Runs — check a run to plot it; each run has its own colour:</source>
        <translation>Läufe – anhaken, um einen Lauf zu zeichnen; jeder Lauf hat seine eigene Farbe:</translation>
    </message>
    <message>
        <source>&amp;Use Its Settings</source>
        <translation>Seine Einstellungen &amp;übernehmen</translation>
    </message>
    <message>
        <source>Fill the settings and the base model with those of the selected run, to start a variation of it</source>
        <translation>Einstellungen und Basismodell des ausgewählten Laufs übernehmen, um eine Variante davon zu starten</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>&amp;Diagramme</translation>
    </message>
    <message>
        <source>&amp;Memory</source>
        <translation>S&amp;peicher</translation>
    </message>
    <message>
        <source>Sa&amp;mple</source>
        <translation>Bei&amp;spiel</translation>
    </message>
    <message>
        <source>Estimated memory for training with these settings; click for the breakdown</source>
        <translation>Geschätzter Speicher für das Training mit diesen Einstellungen; klicken für die Aufschlüsselung</translation>
    </message>
    <message>
        <source>Run name (optional)</source>
        <translation>Name des Laufs (optional)</translation>
    </message>
    <message>
        <source>A name for the new run in the run list</source>
        <translation>Ein Name für den neuen Lauf in der Liste der Läufe</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>The model folder could not be saved with the project: %1</source>
        <translation>Der Modellordner konnte nicht im Projekt gespeichert werden: %1</translation>
    </message>
    <message>
        <source>%1 — does not fit</source>
        <translation>%1 – passt nicht</translation>
    </message>
    <message>
        <source>Open a project first.</source>
        <translation>Öffnen Sie zuerst ein Projekt.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is still running. Wait for it to end or cancel it first.</source>
        <translation>„%1“ läuft noch. Warten Sie, bis es endet, oder brechen Sie es zuerst ab.</translation>
    </message>
    <message>
        <source>Choose a base model first: a Hugging Face model folder with config.json, the *.safetensors weights and tokenizer.json.</source>
        <translation>Wählen Sie zuerst ein Basismodell: einen Hugging-Face-Modellordner mit config.json, den *.safetensors-Gewichten und tokenizer.json.</translation>
    </message>
    <message>
        <source>The settings are not valid. %1</source>
        <translation>Die Einstellungen sind ungültig. %1</translation>
    </message>
    <message>
        <source>Not Enough Memory</source>
        <translation>Nicht genug Speicher</translation>
    </message>
    <message>
        <source>Training needs about %1 but %2 is available, so it will probably fail or make the computer swap.

Start anyway?</source>
        <translation>Das Training braucht etwa %1, verfügbar sind aber %2; es wird daher wahrscheinlich scheitern oder den Rechner auslagern lassen.

Trotzdem starten?</translation>
    </message>
    <message>
        <source>Not started: the estimate does not fit in memory. See the Memory tab for a suggestion.</source>
        <translation>Nicht gestartet: Die Schätzung passt nicht in den Speicher. Einen Vorschlag finden Sie im Reiter „Speicher“.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Select the run to resume in the run list.</source>
        <translation>Wählen Sie den fortzusetzenden Lauf in der Liste der Läufe.</translation>
    </message>
    <message>
        <source>This run has finished all its steps; there is nothing to resume.</source>
        <translation>Dieser Lauf hat alle Schritte beendet; es gibt nichts fortzusetzen.</translation>
    </message>
    <message>
        <source>Resume Run</source>
        <translation>Lauf fortsetzen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is marked as %2. Resume it only if nothing is training it any more (for example, Tunesmith was closed while it ran); a command-line run that is still going would be disturbed.

Resume it?</source>
        <translation>„%1“ ist als „%2“ markiert. Setzen Sie ihn nur fort, wenn ihn nichts mehr trainiert (zum Beispiel, weil Tunesmith während des Laufs geschlossen wurde); ein noch laufender Kommandozeilen-Lauf würde gestört.

Fortsetzen?</translation>
    </message>
    <message>
        <source>Resuming</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Another job is running; wait for it to end or cancel it first.</source>
        <translation>Eine andere Aufgabe läuft; warten Sie, bis sie endet, oder brechen Sie sie zuerst ab.</translation>
    </message>
    <message>
        <source>%1… The charts follow the run as it writes its metrics.</source>
        <translation>%1… Die Diagramme folgen dem Lauf, während er seine Metriken schreibt.</translation>
    </message>
    <message>
        <source>Training started.</source>
        <translation>Training gestartet.</translation>
    </message>
    <message>
        <source>The settings of &quot;%1&quot; cannot be used: %2</source>
        <translation>Die Einstellungen von „%1“ sind nicht verwendbar: %2</translation>
    </message>
    <message>
        <source>Loaded the settings of &quot;%1&quot;.</source>
        <translation>Einstellungen von „%1“ übernommen.</translation>
    </message>
    <message>
        <source>Cancelling after the current step; a checkpoint is saved so the run can be resumed.</source>
        <translation>Abbruch nach dem aktuellen Schritt; ein Checkpoint wird gespeichert, damit der Lauf fortgesetzt werden kann.</translation>
    </message>
    <message>
        <source>Training finished: %1 steps, final loss %2.</source>
        <translation>Training beendet: %1 Schritte, letzter Loss %2.</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>Gespeichert in %1.</translation>
    </message>
    <message>
        <source>Training cancelled after step %1. Select the run and press Resume to continue from its checkpoint.</source>
        <translation>Training nach Schritt %1 abgebrochen. Wählen Sie den Lauf und drücken Sie „Fortsetzen“, um ab seinem Checkpoint weiterzumachen.</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled after step %1.</source>
        <translation>Abgebrochen nach Schritt %1.</translation>
    </message>
    <message>
        <source>Training failed.</source>
        <translation>Training fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>ts::ui::UnbuiltPage</name>
    <message>
        <source>Not built yet</source>
        <translation>Noch nicht gebaut</translation>
    </message>
</context>
<context>
    <name>ts::ui::WelcomePage</name>
    <message>
        <source>Tunesmith</source>
        <translation>Tunesmith</translation>
    </message>
    <message>
        <source>Curate golden examples, compare prompts against fine-tuning, and decide with measured numbers.</source>
        <translation>Goldene Beispiele pflegen, Prompts mit Fine-Tuning vergleichen und mit gemessenen Zahlen entscheiden.</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Demo</source>
        <translation>&amp;Demo öffnen</translation>
    </message>
    <message>
        <source>A small project of insurance-claim extraction examples to explore</source>
        <translation>Ein kleines Projekt mit Beispielen zur Extraktion von Versicherungsschadensmeldungen zum Ausprobieren</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>Zuletzt geöffnete Projekte</translation>
    </message>
</context>
</TS>
