// The widget's wording in both languages: the dictionaries in i18n/*.json are the data.
import en from "./i18n/en.json";
import zh from "./i18n/zh.json";

export type Lang = "zh" | "en";
export type Dictionary = typeof zh;
export const LANGS: readonly Lang[] = ["zh", "en"];

const DICTIONARIES: Record<Lang, Dictionary> = { zh, en };

export function isLang(value: unknown): value is Lang {
  return value === "zh" || value === "en";
}

export function dictionary(lang: Lang): Dictionary {
  return DICTIONARIES[lang];
}

/** `template` with `{name}` replaced by `values.name`. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
