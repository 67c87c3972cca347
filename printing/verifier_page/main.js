// The page: read the seal's symbols from the camera, an image or a PDF (ZXing's WebAssembly
// reader; PDF pages drawn by pdf.js at scanner resolution), check them (seal.js) and show the
// answer in words, every sealed fact listed to compare with the paper. Nothing leaves the device.

import { prepareZXingModule, readBarcodes } from "./vendor/zxing/reader/index.js";
import { AUTHENTIC, CANNOT_CHECK, NOT_AUTHENTIC, check } from "./seal.js";

const SCAN_DPI = 200;
const READER = { formats: ["DataMatrix"], tryHarder: true, maxNumberOfSymbols: 4 };

const TEXTS = {
  de: {
    title: "Dokument prüfen",
    intro: "Prüfen Sie ein Dokument der Stadt am aufgedruckten 2D-Siegel: mit der Kamera, einem Foto oder Scan oder der PDF-Datei. Alles geschieht auf diesem Gerät; nichts wird gesendet.",
    choose: "Siegel lesen",
    camera: "Kamera starten",
    cameraStop: "Kamera beenden",
    file: "Foto, Scan oder PDF wählen",
    offline: "Diese Seite arbeitet nach dem ersten Laden auch ohne Netz.",
    trust: "Vertrauensliste:",
    other: "English",
    reading: "Siegel wird gelesen …",
    looking: "Kamera läuft: das 2D-Siegel ruhig und formatfüllend ins Bild halten.",
    noCamera: "Keine Kamera verfügbar – bitte ein Foto oder einen Scan wählen.",
    checked: (name) => `Geprüft: ${name}`,
    headline: { [AUTHENTIC]: "SIEGEL ECHT – ANGABEN MIT DEM PAPIER VERGLEICHEN", [NOT_AUTHENTIC]: "NICHT ECHT", [CANNOT_CHECK]: "NICHT PRÜFBAR" },
    summary: (r) => `${r.title} Nr. ${r.number}, ausgestellt am ${r.issuedOn} für ${r.givenNames} ${r.familyName} (geb. ${r.birthDate}), Aktenzeichen ${r.caseReference}.`,
    compare: "Das Siegel bestätigt diese Angaben (bitte mit dem Papier vergleichen):",
    digestOnly: (s) => `Nicht geprüft: »${s}« steht im Siegel nur als Prüfwert; an Papier, Scan oder Foto lässt sich dieser Abschnitt nicht prüfen (die PDF-Datei prüfen oder beim Bürgerbüro nachfragen).`,
    pdfNote: "Geprüft wurde das aufgedruckte 2D-Siegel. Das elektronische Siegel der PDF-Datei zeigt ein PDF-Programm (Signaturen).",
    pictureCaption: "Ihr Dokument, zum Vergleich mit den Angaben des Siegels",
    pictureAlt: "das geprüfte Bild",
    next: {
      [NOT_AUTHENTIC]: "Was tun: das Dokument nicht als Original annehmen; beim ausstellenden Bürgerbüro mit Nummer und Aktenzeichen nachfragen.",
      [CANNOT_CHECK]: "Was tun: das 2D-Siegel schärfer oder größer scannen bzw. fotografieren, die PDF-Datei selbst prüfen oder beim ausstellenden Bürgerbüro nachfragen.",
    },
    noSymbol: () => "kein 2D-Siegel gefunden (Bild schärfer oder größer aufnehmen?)",
    unreadable: (m) => `kein lesbares 2D-Siegel: ${m}`,
    contentUnreadable: (m) => `2D-Siegel echt, Inhalt unlesbar: ${m}`,
    unknownSigner: (s) => `unbekannter Aussteller ${s}: nicht in der Vertrauensliste`,
    notTheCitys: () => "das Zertifikat des Ausstellers stammt nicht von der Stadt",
    outsidePeriod: (day, from, until) => `gesiegelt am ${day}: außerhalb des Zeitraums ${from}–${until}, für den die Vertrauensliste das Siegelzertifikat nennt`,
    badSignature: () => "Signatur falsch: Inhalt des 2D-Siegels verändert oder gefälscht",
    twoDocuments: (n) => `2D-Siegel verschiedener Dokumente auf einem Dokument: ${n}`,
    partMissing: (m, of) => `Teil ${m} von ${of} des 2D-Siegels nicht gefunden: alle Siegel-Symbole des Dokuments scannen`,
    notAFile: (name) => `${name}: weder Bild noch PDF`,
    trustInfo: (t) => `${t.issuer}, ${t.signers.length} Siegelzertifikat(e)`,
  },
  en: {
    title: "Check a document",
    intro: "Check a city document by its printed 2D seal: with the camera, a photo or scan, or the PDF file. Everything happens on this device; nothing is sent.",
    choose: "Read the seal",
    camera: "Start camera",
    cameraStop: "Stop camera",
    file: "Choose a photo, scan or PDF",
    offline: "After the first visit this page also works without a network.",
    trust: "Trust list:",
    other: "Deutsch",
    reading: "Reading the seal …",
    looking: "Camera on: hold the 2D seal steady so that it fills the picture.",
    noCamera: "No camera available – please choose a photo or a scan.",
    checked: (name) => `Checked: ${name}`,
    headline: { [AUTHENTIC]: "SEAL GENUINE – COMPARE THE FACTS WITH THE PAPER", [NOT_AUTHENTIC]: "NOT AUTHENTIC", [CANNOT_CHECK]: "CANNOT BE CHECKED" },
    summary: (r) => `${r.title} no. ${r.number}, issued on ${r.issuedOn} to ${r.givenNames} ${r.familyName} (born ${r.birthDate}), case ${r.caseReference}.`,
    compare: "The seal confirms these facts (please compare them with the paper):",
    digestOnly: (s) => `Not checked: "${s}" is held in the seal as a check value only; it cannot be checked on paper, a scan or a photo (check the PDF file or ask the citizens' office).`,
    pdfNote: "The printed 2D seal was checked. A PDF program shows the PDF file's electronic seal (signatures).",
    pictureCaption: "Your document, to compare with the seal's facts",
    pictureAlt: "the picture checked",
    next: {
      [NOT_AUTHENTIC]: "What to do: do not accept the document as an original; ask the issuing citizens' office, giving its number and case reference.",
      [CANNOT_CHECK]: "What to do: scan or photograph the 2D seal sharper or larger, check the PDF file itself, or ask the issuing citizens' office.",
    },
    noSymbol: () => "no 2D seal found (take the picture sharper or larger?)",
    unreadable: (m) => `no readable 2D seal: ${m}`,
    contentUnreadable: (m) => `2D seal genuine, content unreadable: ${m}`,
    unknownSigner: (s) => `unknown issuer ${s}: not in the trust list`,
    notTheCitys: () => "the issuer's certificate was not issued by the city",
    outsidePeriod: (day, from, until) => `sealed on ${day}: outside the period ${from}–${until} the trust list names for the seal certificate`,
    badSignature: () => "signature wrong: the 2D seal's content was changed or forged",
    twoDocuments: (n) => `2D seals of different documents on one document: ${n}`,
    partMissing: (m, of) => `part ${m} of ${of} of the 2D seal not found: scan every seal symbol of the document`,
    notAFile: (name) => `${name}: neither a picture nor a PDF`,
    trustInfo: (t) => `${t.issuer}, ${t.signers.length} seal certificate(s)`,
  },
};

const $ = (id) => document.getElementById(id);
let language = localStorage.getItem("language") === "en" ? "en" : "de";
let words = TEXTS[language];
let trust, profile, camera, lastShown, pictureUrl;

// the reader compiled while the page loads: a check then asks the network for nothing
const readerReady = prepareZXingModule({
  overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(`./vendor/zxing/reader/${path}`, import.meta.url).href : prefix + path) },
  fireImmediately: true,
});

function translate() {
  words = TEXTS[language];
  document.documentElement.lang = language;
  document.title = `${words.title} – ${language === "de" ? "2D-Siegel der Stadt" : "the city's 2D seal"}`;
  for (const element of document.querySelectorAll("[data-text]")) element.textContent = words[element.dataset.text];
  $("picture-image").alt = words.pictureAlt;
  $("language").textContent = words.other;
  $("language").lang = language === "de" ? "en" : "de";
  if (camera) $("camera").textContent = words.cameraStop;
  if (trust) $("trust-info").textContent = words.trustInfo(trust);
  if (lastShown) show(...lastShown);
}

function say(text) {
  $("status").textContent = text;
}

function show(outcome, source, isPdf) {
  lastShown = [outcome, source, isPdf];
  const result = $("result");
  result.hidden = false;
  result.className = outcome.answer;
  $("verdict").textContent = words.headline[outcome.answer];
  const facts = $("facts");
  facts.replaceChildren();
  const lines = [];
  if (outcome.reading) {
    const r = outcome.reading;
    lines.push(words.summary(r), words.compare);
    for (const [label, value] of r.facts) {
      const term = document.createElement("dt");
      term.textContent = label;
      const detail = document.createElement("dd");
      detail.textContent = value;
      facts.append(term, detail);
    }
    $("next").textContent = [...r.digestOnly.map(words.digestOnly), isPdf ? words.pdfNote : ""].filter(Boolean).join(" ");
  } else {
    lines.push(outcome.reason);
    $("next").textContent = words.next[outcome.answer];
  }
  $("reason").textContent = lines.join(" ");
  $("picture").hidden = !(outcome.reading && pictureUrl);
  say(source ? words.checked(source) : "");
  document.body.dataset.answer = outcome.answer; // for scripts and tests reading the page
  $("verdict").focus();
}

// milliseconds spent in the reader itself, for the benchmark beside the whole check
let decodeMs = 0;

async function symbolsIn(source) {
  const started = performance.now();
  const results = await readBarcodes(source, READER);
  decodeMs += performance.now() - started;
  return results.filter((r) => r.isValid).map((r) => r.bytes);
}

async function symbolsInPdf(data) {
  const pdfjs = await import("./vendor/pdfjs/pdf.min.mjs");
  pdfjs.GlobalWorkerOptions.workerSrc = new URL("./vendor/pdfjs/pdf.worker.min.mjs", import.meta.url).href;
  const pdf = await pdfjs.getDocument({ data, isEvalSupported: false }).promise;
  const found = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const viewport = page.getViewport({ scale: SCAN_DPI / 72 });
    const canvas = new OffscreenCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext("2d");
    await page.render({ canvasContext: context, viewport, background: "#ffffff" }).promise;
    if (number === 1) showPicture(await canvas.convertToBlob({ type: "image/png" }));
    const onPage = await symbolsIn(context.getImageData(0, 0, canvas.width, canvas.height));
    found.push(...onPage);
    if (onPage.length) break; // a page that shows the seal is enough (every page carries it)
  }
  await pdf.destroy();
  return found;
}

// the picture beside the facts, so the reader holds the seal's words against the paper's
function showPicture(blob) {
  if (pictureUrl) URL.revokeObjectURL(pictureUrl);
  pictureUrl = blob ? URL.createObjectURL(blob) : undefined;
  $("picture-image").src = pictureUrl ?? "";
}

async function checkFile(file) {
  stopCamera();
  say(words.reading);
  const started = performance.now();
  decodeMs = 0;
  const data = new Uint8Array(await file.arrayBuffer());
  const isPdf = data.length > 4 && String.fromCharCode(...data.subarray(0, 4)) === "%PDF";
  showPicture(isPdf ? undefined : file);
  let found;
  try {
    found = isPdf ? await symbolsInPdf(data) : await symbolsIn(new Blob([data], { type: file.type || "image/png" }));
  } catch {
    show({ answer: CANNOT_CHECK, reason: words.notAFile(file.name) }, file.name, false);
    return;
  }
  const outcome = await check(found, trust, profile, words);
  Object.assign(document.body.dataset, { totalMs: (performance.now() - started).toFixed(1), decodeMs: decodeMs.toFixed(1) });
  show(outcome, file.name, isPdf);
}

async function startCamera() {
  if (camera) return stopCamera();
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: { ideal: 1920 } } });
  } catch {
    say(words.noCamera);
    return;
  }
  const video = $("preview");
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  camera = stream;
  $("camera").textContent = words.cameraStop;
  say(words.looking);
  const canvas = new OffscreenCanvas(1, 1);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  while (camera === stream) {
    if (video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const found = await symbolsIn(context.getImageData(0, 0, canvas.width, canvas.height));
      if (found.length) {
        showPicture(await canvas.convertToBlob({ type: "image/jpeg" }));
        stopCamera();
        show(await check(found, trust, profile, words), "", false);
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function stopCamera() {
  if (!camera) return;
  for (const track of camera.getTracks()) track.stop();
  camera = undefined;
  $("preview").hidden = true;
  $("camera").textContent = words.camera;
}

async function start() {
  [trust, profile] = await Promise.all(["trust.json", "profile.json"].map((name) => fetch(name).then((r) => r.json())));
  await readerReady;
  $("camera").addEventListener("click", startCamera);
  $("file").addEventListener("change", (event) => event.target.files[0] && checkFile(event.target.files[0]));
  $("language").addEventListener("click", () => {
    language = language === "de" ? "en" : "de";
    localStorage.setItem("language", language);
    translate();
  });
  translate();
  if ("serviceWorker" in navigator) await navigator.serviceWorker.register("sw.js").catch(() => undefined);
  document.body.dataset.ready = "true";
}

start();
