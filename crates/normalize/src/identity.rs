//! Who published a document, for which year, in which unit.

use crate::model::{DepartmentId, DepartmentSource};
use crate::NormalizeError;
use cnbudget_grammar::meta::{year_in_file_name, year_in_text};
use cnbudget_grammar::{
    classify, department_in_heading, department_key, is_department_key, is_department_name,
    parse_meta, text::canonical, TableKind, Unit, YearSource,
};
use cnbudget_pdf::{text::lines, Page};
use cnbudget_table::Table;
use std::collections::{BTreeMap, HashMap};

/// Renamed departments merged by the user: `[departments]` of `old = "new"` keys.
#[derive(Debug, Clone, Default)]
pub struct Aliases(HashMap<String, String>);

impl Aliases {
    /// Reads an alias file: `[departments]` with `"旧名" = "新名"` entries (names normalised).
    pub fn from_toml(text: &str) -> Result<Aliases, NormalizeError> {
        let value: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| NormalizeError::Aliases(e.to_string()))?;
        let mut map = HashMap::new();
        if let Some(deps) = value.get("departments") {
            let table = deps
                .as_table()
                .ok_or_else(|| NormalizeError::Aliases("[departments] must be a table".into()))?;
            for (from, to) in table {
                let to = to.as_str().ok_or_else(|| {
                    NormalizeError::Aliases(format!("alias of {from:?} must be a string"))
                })?;
                map.insert(department_key(from), department_key(to));
            }
        }
        Ok(Aliases(map))
    }

    /// The key a department's normalised key is merged into.
    pub fn apply(&self, key: String) -> String {
        self.0.get(&key).cloned().unwrap_or(key)
    }
}

/// The department: from meta lines (the most frequent), else table titles, else the first
/// pages' meta lines and headings (`江苏省政协办公厅2018年度部门预算`).
pub(crate) fn department(
    tables: &[Table],
    heads: &[Vec<String>],
    aliases: &Aliases,
) -> Option<DepartmentId> {
    let mut seen: BTreeMap<String, (usize, String, Option<String>)> = BTreeMap::new();
    for t in tables {
        if let Some(d) = t.meta.iter().find_map(|m| parse_meta(&m.text).department) {
            let e =
                seen.entry(department_key(&d.name))
                    .or_insert((0, d.name.clone(), d.code.clone()));
            e.0 += 1;
        }
    }
    let make = |name: String, code: Option<String>, source| DepartmentId {
        key: aliases.apply(department_key(&name)),
        name_raw: name,
        code,
        source,
    };
    if let Some((_, (_, name, code))) = seen.into_iter().max_by_key(|(_, v)| v.0) {
        return Some(make(name, code, DepartmentSource::MetaLine));
    }
    // A form's key cell and the cell beside it (`部门名称 | 北京市审计局` in a performance form).
    for t in tables {
        for key in t
            .cells
            .iter()
            .filter(|c| is_department_key(&canonical(&c.text)))
        {
            let beside = t
                .cells
                .iter()
                .find(|c| c.row == key.row && c.col == key.col + key.colspan);
            if let Some(name) = beside
                .map(|c| canonical(&c.text))
                .filter(|n| is_department_name(n))
            {
                return Some(make(name, None, DepartmentSource::FormCell));
            }
        }
    }
    for t in tables {
        let title = classify(&t.title.as_ref().map(|l| l.text.clone()).unwrap_or_default());
        // The free text in front of a known table's title words names its department.
        if let Some(name) = title
            .parts
            .subject
            .filter(|n| title.kind != TableKind::Other && is_department_name(n))
        {
            return Some(make(name, None, DepartmentSource::Title));
        }
    }
    // A cover may break its heading (`江苏省政协办公厅 2018 年度` ⏎ `部门预算公开`): each line
    // is tried alone and joined with the next; section headings (`第二部分 …`) are no names.
    for head in heads {
        let ls: Vec<String> = head.iter().take(12).cloned().collect();
        // A cover's own meta line (`部门名称：西安市安全生产监督管理局`).
        if let Some(d) = ls.iter().find_map(|l| parse_meta(l).department) {
            return Some(make(d.name, d.code, DepartmentSource::MetaLine));
        }
        for (i, line) in ls.iter().enumerate() {
            let joined = ls.get(i + 1).map(|next| format!("{line}{next}"));
            for candidate in std::iter::once(line.clone()).chain(joined) {
                let name = department_in_heading(&candidate);
                if let Some(name) = name.filter(|n| is_department_name(n)) {
                    return Some(make(name, None, DepartmentSource::Heading));
                }
            }
        }
    }
    None
}

/// The fiscal year: from a table title, else the first two pages, else the file name.
pub(crate) fn fiscal_year(
    tables: &[Table],
    pages: &[Page],
    file_name: &str,
) -> Option<(u16, YearSource)> {
    let from_titles = tables
        .iter()
        .filter_map(|t| t.title.as_ref())
        .find_map(|l| year_in_text(&l.text));
    let from_pages = || {
        pages
            .iter()
            .take(2)
            .flat_map(lines)
            .find_map(|l| year_in_text(&l.text))
    };
    let from_name = || year_in_file_name(file_name);
    from_titles
        .map(|y| (y, YearSource::Title))
        .or_else(|| from_pages().map(|y| (y, YearSource::FirstPage)))
        .or_else(|| from_name().map(|y| (y, YearSource::FileName)))
}

/// The unit most tables print; a document without tables takes the unit its narrative
/// states figures in (`… 万元`).
pub(crate) fn document_unit(units: &[Option<Unit>], pages: &[Page]) -> Option<Unit> {
    let (wan, yuan) = units.iter().flatten().fold((0, 0), |(w, y), u| {
        if *u == Unit::WanYuan {
            (w + 1, y)
        } else {
            (w, y + 1)
        }
    });
    if wan + yuan > 0 {
        return Some(if wan >= yuan {
            Unit::WanYuan
        } else {
            Unit::Yuan
        });
    }
    let text: String = pages.iter().flat_map(lines).map(|l| l.text).collect();
    Unit::WanYuan.named_in(&text).then_some(Unit::WanYuan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_file_merges_renamed_departments() {
        let aliases = Aliases::from_toml("[departments]\n\"中共江苏省委办公厅\" = \"江苏省委员会办公厅\"\n\"江苏省人大 常委会办公厅\" = \"江苏省人民代表大会常务委员会办公厅\"\n").unwrap();
        // Keys are normalised on both sides: spelling variants of the old name all match.
        assert_eq!(
            aliases.apply(department_key("中国共产党江苏省委员会办公厅")),
            "江苏省委办公厅"
        );
        assert_eq!(
            aliases.apply(department_key("江苏省人大常委会办公厅")),
            "江苏省人民代表大会常务委办公厅",
            "targets are keys too"
        );
        assert_eq!(
            aliases.apply("江苏省人民检察院".into()),
            "江苏省人民检察院",
            "no alias: unchanged"
        );
    }

    #[test]
    fn bad_alias_files_are_typed_errors() {
        assert!(matches!(
            Aliases::from_toml("[departments"),
            Err(NormalizeError::Aliases(_))
        ));
        assert!(matches!(
            Aliases::from_toml("departments = 3"),
            Err(NormalizeError::Aliases(_))
        ));
        assert!(matches!(
            Aliases::from_toml("[departments]\nx = 1"),
            Err(NormalizeError::Aliases(_))
        ));
        assert!(Aliases::from_toml("").is_ok());
    }
}
