// The printed 2D seal in the browser: the symbols' bytes → seals (BSI TR-03137 Part 1, ICAO Doc
// 9303-13, the city's profile in profile.json) → one of three answers, with the same rules and
// reasons as the desktop check (printing/verify.py): the signer must be in the trust list,
// issued by the city's seal CA, sealing within its period, and the ECDSA signature must hold.
// No DOM here: main.js shows what this returns.

export const AUTHENTIC = "authentic";
export const NOT_AUTHENTIC = "not_authentic";
export const CANNOT_CHECK = "cannot_check";

const MAGIC = 0xdc;
const SIGNATURE_TAG = 0xff;
const VERSION_3 = 0x02;
const VERSION_4 = 0x03;
const TAG = { number: 0x01, family: 0x02, given: 0x03, birth: 0x04, reference: 0x05, digest: 0x06, part: 0x07 };
const FIRST_FACT_TAG = 0x10;

class SealError extends Error {}

// --- bytes ------------------------------------------------------------------------------------

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.position = 0;
  }
  take(count, what) {
    const end = this.position + count;
    if (end > this.bytes.length) throw new SealError(`seal ends inside the ${what} (byte ${this.position})`);
    const chunk = this.bytes.subarray(this.position, end);
    this.position = end;
    return chunk;
  }
  byte(what) {
    return this.take(1, what)[0];
  }
  length(what) {
    const first = this.byte(what);
    if (first < 0x80) return first;
    const size = first & 0x7f;
    if (size < 1 || size > 3) throw new SealError(`unsupported length form in the ${what}`);
    return this.take(size, what).reduce((value, b) => value * 256 + b, 0);
  }
  get done() {
    return this.position >= this.bytes.length;
  }
}

function c40Character(value) {
  if (value === 3) return " ";
  if (value >= 4 && value <= 13) return String.fromCharCode(48 + value - 4);
  if (value >= 14 && value <= 39) return String.fromCharCode(65 + value - 14);
  throw new SealError(`C40 value ${value} is not a character`);
}

function c40Decode(data) {
  if (data.length % 2) throw new SealError("C40 data has an odd number of bytes");
  let text = "";
  for (let i = 0; i < data.length; i += 2) {
    if (data[i] === 0xfe) {
      text += String.fromCharCode(data[i + 1] - 1);
      continue;
    }
    const value = data[i] * 256 + data[i + 1] - 1;
    const third = value % 40;
    text += c40Character(Math.floor(value / 1600)) + c40Character(Math.floor((value % 1600) / 40));
    if (third !== 0) text += c40Character(third);
  }
  return text;
}

// MMDDYYYY as a decimal number in three bytes; kept as "YYYY-MM-DD" (compares as text)
function decodeDate(data) {
  const digits = String(data.reduce((value, b) => value * 256 + b, 0)).padStart(8, "0");
  const [month, day, year] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)];
  const date = new Date(Date.UTC(+year, +month - 1, +day));
  if (date.getUTCMonth() !== +month - 1 || date.getUTCDate() !== +day) {
    throw new SealError(`not a date: ${hex(data)}`);
  }
  return `${year}-${month}-${day}`;
}

const hex = (data) => Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");
const utf8 = new TextDecoder("utf-8", { fatal: true });

function text(value, tag) {
  try {
    return utf8.decode(value);
  } catch {
    throw new SealError(`Merkmal 0x${tag.toString(16).padStart(2, "0")} ist kein UTF-8`);
  }
}

export function germanDate(iso) {
  const [year, month, day] = iso.split("-");
  return `${day}.${month}.${year}`;
}

// --- seals --------------------------------------------------------------------------------------

function readHeader(reader) {
  if (reader.byte("header") !== MAGIC) throw new SealError("not a Visible Digital Seal (no 0xDC at the start)");
  const version = reader.byte("header");
  const country = c40Decode(reader.take(2, "issuing country"));
  let signerId, reference;
  if (version === VERSION_3) {
    const signer = c40Decode(reader.take(6, "signer"));
    [signerId, reference] = [signer.slice(0, 4), signer.slice(4)];
  } else if (version === VERSION_4) {
    const start = c40Decode(reader.take(4, "signer"));
    const length = parseInt(start.slice(4, 6), 16);
    if (Number.isNaN(length)) throw new SealError("the certificate reference length is not hex");
    const remaining = Math.floor((6 + length + 2) / 3) * 2 - 4;
    reference = (start + c40Decode(reader.take(remaining, "signer"))).slice(6);
    signerId = start.slice(0, 4);
    if (reference.length !== length) throw new SealError("the certificate reference has the wrong length");
  } else {
    throw new SealError(`unsupported seal version byte 0x${version.toString(16).padStart(2, "0")}`);
  }
  return {
    country,
    signerId,
    reference,
    issueDate: decodeDate(reader.take(3, "issue date")),
    signatureDate: decodeDate(reader.take(3, "signature date")),
    featureReference: reader.byte("feature reference"),
    documentType: reader.byte("document type"),
  };
}

// Seals written one after another (a two-part seal as the register stores it) divide at the
// end of each signature zone.
export function split(bytes) {
  const seals = [];
  const reader = new Reader(bytes);
  while (!reader.done) {
    const start = reader.position;
    const header = readHeader(reader);
    const features = [];
    for (;;) {
      if (reader.done) throw new SealError("the seal has no signature zone");
      const signedEnd = reader.position;
      const tag = reader.byte("message zone");
      const value = reader.take(reader.length("message zone"), `feature 0x${tag.toString(16)}`);
      if (tag === SIGNATURE_TAG) {
        seals.push({ header, features, signature: value, signed: bytes.subarray(start, signedEnd) });
        break;
      }
      features.push([tag, value]);
    }
  }
  if (!seals.length) throw new SealError("no seal in the data");
  return seals;
}

const feature = (seal, tag) => seal.features.find(([t]) => t === tag)?.[1];

// --- the trust list and the signature -----------------------------------------------------------

function base64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function signerOf(header, trust) {
  const wanted = header.reference.replace(/^0+/, "");
  return trust.signers.find(
    (s) => s.signer_id === header.signerId && s.certificate_reference.replace(/^0+/, "") === wanted,
  );
}

async function signatureHolds(signer, seal) {
  const key = await crypto.subtle.importKey(
    "spki", base64(signer.spki), { name: "ECDSA", namedCurve: signer.curve }, false, ["verify"],
  );
  try {
    return await crypto.subtle.verify({ name: "ECDSA", hash: signer.hash }, key, seal.signature, seal.signed);
  } catch {
    return false; // a signature of the wrong length is not one
  }
}

// Why this one symbol is not the city's (null when its signature holds); reasons in `words`
async function refused(seal, trust, words) {
  const header = seal.header;
  const signer = signerOf(header, trust);
  if (!signer) return words.unknownSigner(`${header.signerId}/${header.reference}`);
  if (!signer.issued_by_city) return words.notTheCitys();
  if (header.signatureDate < signer.valid_from || header.signatureDate > signer.valid_until) {
    return words.outsidePeriod(germanDate(header.signatureDate), germanDate(signer.valid_from), germanDate(signer.valid_until));
  }
  if (!(await signatureHolds(signer, seal))) return words.badSignature();
  return null;
}

// --- the profile --------------------------------------------------------------------------------

function partOf(seal, profile) {
  const header = seal.header;
  if (header.featureReference !== profile.feature_reference) {
    throw new SealError(`Siegel eines anderen Profils (Merkmalsdefinition 0x${header.featureReference.toString(16)})`);
  }
  if (!profile.documents[header.documentType]) {
    throw new SealError(`unbekannter Dokumenttyp 0x${header.documentType.toString(16).padStart(2, "0")}`);
  }
  const number = feature(seal, TAG.number);
  if (number === undefined) throw new SealError("Merkmal Dokumentnummer fehlt");
  const part = feature(seal, TAG.part) ?? Uint8Array.of(1, 1);
  if (part.length !== 2 || !(part[0] >= 1 && part[0] <= part[1] && part[1] <= profile.max_symbols)) {
    throw new SealError("Merkmal Teil ist fehlerhaft");
  }
  return { number: text(number, TAG.number), part: part[0], parts: part[1], seal };
}

function reading(parts, profile) {
  const ordered = [...parts].sort((a, b) => a.part - b.part);
  const first = ordered[0];
  const document = profile.documents[first.seal.header.documentType];
  const facts = [];
  for (const { seal } of ordered) {
    for (const [tag, value] of seal.features) {
      if (tag < FIRST_FACT_TAG) continue;
      const label = document.labels[tag - FIRST_FACT_TAG];
      if (label === undefined) throw new SealError(`Merkmal 0x${tag.toString(16)} gehört nicht zu diesem Dokumenttyp`);
      facts.push([label, text(value, tag)]);
    }
  }
  const head = new Map(first.seal.features);
  const field = (tag) => {
    if (!head.has(tag)) throw new SealError(`Merkmal 0x${tag.toString(16).padStart(2, "0")} fehlt`);
    return text(head.get(tag), tag);
  };
  if (!head.has(TAG.birth)) throw new SealError("Merkmal Geburtsdatum fehlt");
  if (document.grounds_digest && !head.has(TAG.digest)) throw new SealError("Prüfwert der Begründung fehlt");
  return {
    title: document.title,
    number: first.number,
    familyName: field(TAG.family),
    givenNames: field(TAG.given),
    birthDate: germanDate(decodeDate(head.get(TAG.birth))),
    caseReference: field(TAG.reference),
    issuedOn: germanDate(first.seal.header.issueDate),
    facts,
    digestOnly: head.has(TAG.digest) ? [profile.grounds_section] : [],
  };
}

// --- the answer ---------------------------------------------------------------------------------

// One answer for the symbols read off one document: {answer, reason, reading?}
export async function check(found, trust, profile, words) {
  if (!found.length) return { answer: CANNOT_CHECK, reason: words.noSymbol() };
  const symbols = [];
  const seen = new Set();
  try {
    for (const bytes of found) {
      if (seen.has(hex(bytes))) continue;
      seen.add(hex(bytes));
      symbols.push(...split(bytes));
    }
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    return { answer: CANNOT_CHECK, reason: words.unreadable(error.message) };
  }
  for (const seal of symbols) {
    const why = await refused(seal, trust, words);
    if (why) return { answer: NOT_AUTHENTIC, reason: why };
  }
  try {
    const parts = new Map();
    for (const part of symbols.map((s) => partOf(s, profile))) parts.set(`${part.number}/${part.part}`, part);
    const numbers = [...new Set([...parts.values()].map((p) => p.number))].sort();
    if (numbers.length > 1) return { answer: NOT_AUTHENTIC, reason: words.twoDocuments(numbers.join(", ")) };
    const all = [...parts.values()];
    const first = all.reduce((a, b) => (b.part < a.part ? b : a));
    if (all.length < first.parts) {
      const have = new Set(all.map((p) => p.part));
      const missing = Array.from({ length: first.parts }, (_, i) => i + 1).filter((n) => !have.has(n));
      return { answer: CANNOT_CHECK, reason: words.partMissing(missing.join(", "), first.parts) };
    }
    const sameDocument = all.every(
      (p) => p.seal.header.documentType === first.seal.header.documentType && p.seal.header.issueDate === first.seal.header.issueDate,
    );
    if (!sameDocument) throw new SealError("die Teile des Siegels gehören zu verschiedenen Dokumenten");
    return { answer: AUTHENTIC, reason: "", reading: reading(all, profile) };
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    return { answer: CANNOT_CHECK, reason: words.contentUnreadable(error.message) };
  }
}
