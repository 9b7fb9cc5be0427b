//! Metadata as one line of text: the form's `key=text, key:=JSON` syntax (the CLI's
//! `--metadata`), written from a user's metadata and read back into the minimal change to send.

use serde_json::{Map, Value};

/// `team=ops, level:=4`: text values after `=` (commas and backslashes escaped with a
/// backslash), any other JSON value after `:=`, the syntax of the CLI's `--metadata`. Where the
/// plain syntax would lose something, the text quotes it as a JSON string: a key that is empty,
/// has spaces at either end, holds `=` or `,`, starts with `"` or ends with `:` (`"a=b"=v`),
/// and a text value with spaces at either end (`note:=" padded "`, a JSON string). The text
/// parses back to the same map, key for key and value for value.
pub fn format_metadata(metadata: Option<&Map<String, Value>>) -> String {
    let Some(map) = metadata else {
        return String::new();
    };
    map.iter()
        .map(|(k, v)| {
            let k = format_key(k);
            match v {
                // The plain text syntax trims what the operator typed around a value, so a
                // value with spaces at its ends only survives as a JSON string.
                Value::String(s) if s.trim() == s => format!("{k}={}", escape(s)),
                other => format!("{k}:={other}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A key as [`parse_metadata`] reads it back: bare when that is unambiguous, otherwise a JSON
/// string (an empty key, or one the bare syntax would split, trim or take for `:=`).
fn format_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key.trim() == key
        && !key.contains(['=', ','])
        && !key.starts_with('"')
        && !key.ends_with(':');
    if bare {
        key.to_owned()
    } else {
        Value::String(key.to_owned()).to_string()
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(',', "\\,")
}

/// One metadata value as typed: text (`key=value`) or JSON (`key:=value`).
#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    Text(String),
    Json(Value),
}

impl MetaValue {
    fn into_value(self) -> Value {
        match self {
            MetaValue::Text(s) => Value::String(s),
            MetaValue::Json(v) => v,
        }
    }
}

/// Parses `key=text, key:=JSON, …` (see [`format_metadata`]) into ordered pairs.
pub fn parse_metadata(text: &str) -> Result<Vec<(String, MetaValue)>, String> {
    let mut pairs: Vec<(String, MetaValue)> = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
            continue;
        }
        if rest.is_empty() {
            break;
        }
        let (key, json, after) = parse_key(rest)?;
        let key = key.as_str();
        rest = after;
        let value = if json {
            let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
            match values.next() {
                Some(Ok(v)) => {
                    rest = &rest[values.byte_offset()..];
                    let after = rest.trim_start();
                    if !after.is_empty() && !after.starts_with(',') {
                        return Err(format!("{key}: a comma must follow its JSON value"));
                    }
                    MetaValue::Json(v)
                }
                _ => {
                    return Err(format!(
                        "{key}:= needs a JSON value (4, true, \"text\", […], {{…}})"
                    ));
                }
            }
        } else {
            let mut value = String::new();
            let mut chars = rest.char_indices();
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some((_, next)) => value.push(next),
                        None => value.push('\\'),
                    },
                    ',' => {
                        end = i;
                        break;
                    }
                    _ => value.push(c),
                }
            }
            rest = &rest[end..];
            MetaValue::Text(value.trim().to_owned())
        };
        if pairs.iter().any(|(k, _)| k == key) {
            return Err(format!("key {key:?} appears twice"));
        }
        pairs.push((key.to_owned(), value));
    }
    Ok(pairs)
}

/// The key at the start of `rest` (no leading space), whether `:=` (JSON) or `=` (text)
/// follows it, and the text after that sign. A key is bare (`team`) or a JSON string
/// (`"a=b"`), see [`format_metadata`].
fn parse_key(rest: &str) -> Result<(String, bool, &str), String> {
    let first_part = || rest.split(',').next().unwrap_or(rest).trim().to_owned();
    if rest.starts_with('"') {
        let mut keys = serde_json::Deserializer::from_str(rest).into_iter::<String>();
        let Some(Ok(key)) = keys.next() else {
            return Err(format!(
                "{:?}: a quoted key needs its closing \" (and \\\" for a quote inside it)",
                first_part()
            ));
        };
        let after = rest[keys.byte_offset()..].trim_start();
        if let Some(value) = after.strip_prefix(":=") {
            Ok((key, true, value))
        } else if let Some(value) = after.strip_prefix('=') {
            Ok((key, false, value))
        } else {
            Err(format!("{key:?} needs =text or :=JSON after it"))
        }
    } else {
        let Some(eq) = rest.find('=') else {
            return Err(format!("{:?} is not key=value or key:=JSON", first_part()));
        };
        let (raw_key, json) = match rest[..eq].strip_suffix(':') {
            Some(k) => (k, true),
            None => (&rest[..eq], false),
        };
        let key = raw_key.trim();
        if key.contains(',') {
            return Err(format!("{:?} is not key=value or key:=JSON", first_part()));
        }
        if key.is_empty() {
            return Err(format!("{:?} has no key before =", first_part()));
        }
        Ok((key.to_owned(), json, &rest[eq + 1..]))
    }
}

/// What to send so the server's metadata becomes `pairs`: changed and new keys, and `""` for
/// removed keys (Medusa merges metadata and deletes keys set to ""). `None` when nothing
/// changed.
pub fn metadata_changes(
    original: Option<&Map<String, Value>>,
    pairs: &[(String, MetaValue)],
) -> Option<Map<String, Value>> {
    let empty = Map::new();
    let original = original.unwrap_or(&empty);
    let mut changes = Map::new();
    for key in original.keys() {
        if !pairs.iter().any(|(k, _)| k == key) {
            changes.insert(key.clone(), Value::String(String::new()));
        }
    }
    for (key, value) in pairs {
        let value = value.clone().into_value();
        if original.get(key) != Some(&value) {
            changes.insert(key.clone(), value);
        }
    }
    (!changes.is_empty()).then_some(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `format_metadata` then `parse_metadata`, as the map the pairs describe.
    fn round_trip(metadata: &Value) -> Map<String, Value> {
        let map = metadata.as_object().cloned().unwrap_or_default();
        let text = format_metadata(Some(&map));
        let pairs = parse_metadata(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        pairs
            .into_iter()
            .map(|(k, v)| (k, v.into_value()))
            .collect()
    }

    #[test]
    fn text_values_keep_their_spaces() {
        let metadata = json!({"note": "  padded  ", "tab": "\tx\n", "plain": "a b"});
        let text = format_metadata(metadata.as_object());
        assert_eq!(
            text, r#"note:="  padded  ", tab:="\tx\n", plain=a b"#,
            "only values the text syntax would trim are quoted"
        );
        assert_eq!(Value::Object(round_trip(&metadata)), metadata);
    }

    #[test]
    fn keys_with_an_equals_sign_come_back_whole() {
        let metadata = json!({"a=b": "v"});
        assert_eq!(format_metadata(metadata.as_object()), r#""a=b"=v"#);
        assert_eq!(Value::Object(round_trip(&metadata)), metadata);
        // Unchanged, it sends nothing: before, the save deleted `a=b` and added `a`.
        let pairs = parse_metadata(&format_metadata(metadata.as_object())).unwrap();
        assert_eq!(metadata_changes(metadata.as_object(), &pairs), None);
    }

    #[test]
    fn keys_with_commas_colons_quotes_or_spaces_parse() {
        let metadata = json!({
            "x,y": "1", "ends:": 2, "a:b": "c", "\"q": "r", " sp ": "s", "": "empty key",
            "back\\slash": "t"
        });
        let text = format_metadata(metadata.as_object());
        assert_eq!(
            text,
            r#""x,y"=1, "ends:":=2, a:b=c, "\"q"=r, " sp "=s, ""=empty key, back\slash=t"#
        );
        assert_eq!(Value::Object(round_trip(&metadata)), metadata);
    }

    #[test]
    fn quoted_keys_can_be_typed_with_spaces_around_the_sign() {
        let pairs = parse_metadata(r#" "a=b" = v , "n" :=  4"#).unwrap();
        assert_eq!(
            pairs,
            vec![
                ("a=b".into(), MetaValue::Text("v".into())),
                ("n".into(), MetaValue::Json(json!(4))),
            ]
        );
        assert!(parse_metadata(r#""open=v"#).is_err(), "an unclosed quote");
        assert!(parse_metadata(r#""k" v"#).is_err(), "no sign after the key");
        assert!(parse_metadata(r#""k"=1, "k":=1"#).is_err(), "a key twice");
    }
}
