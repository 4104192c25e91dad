<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
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
