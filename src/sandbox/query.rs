//! Query strings read the way Express's `qs` parser reads them, because Medusa's validation
//! messages depend on the shape it produces: `role=a&role=b` and `role[]=a` are arrays,
//! `created_at[gt]=x` is an object, anything else a string.

/// One parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryValue {
    Str(String),
    List(Vec<String>),
    /// `name[key]=value` pairs, in the order given.
    Obj(Vec<(String, String)>),
}

/// The parameters in order of first appearance.
pub fn parse(query: &str) -> Vec<(String, QueryValue)> {
    let mut out: Vec<(String, QueryValue)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let (name, sub) = split_key(&key);
        if name.is_empty() {
            continue;
        }
        let value = value.into_owned();
        let slot = match out.iter().position(|(k, _)| k == name) {
            Some(i) => &mut out[i].1,
            None => {
                let fresh = match sub {
                    Sub::None => QueryValue::Str(value),
                    Sub::Append => QueryValue::List(vec![value]),
                    Sub::Key(k) => QueryValue::Obj(vec![(k.to_owned(), value)]),
                };
                out.push((name.to_owned(), fresh));
                continue;
            }
        };
        *slot = match (std::mem::replace(slot, QueryValue::List(Vec::new())), sub) {
            (QueryValue::Str(old), Sub::None | Sub::Append) => QueryValue::List(vec![old, value]),
            (QueryValue::List(mut items), Sub::None | Sub::Append) => {
                items.push(value);
                QueryValue::List(items)
            }
            (QueryValue::Obj(mut pairs), Sub::Key(k)) => {
                pairs.push((k.to_owned(), value));
                QueryValue::Obj(pairs)
            }
            // Mixed shapes (`a=1&a[b]=2`): qs merges them into an object keyed by index; an
            // object is what any validator then rejects, so keep that.
            (QueryValue::Obj(mut pairs), _) => {
                pairs.push((pairs.len().to_string(), value));
                QueryValue::Obj(pairs)
            }
            (QueryValue::Str(old), Sub::Key(k)) => {
                QueryValue::Obj(vec![("0".to_owned(), old), (k.to_owned(), value)])
            }
            (QueryValue::List(items), Sub::Key(k)) => {
                let mut pairs: Vec<(String, String)> = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v))
                    .collect();
                pairs.push((k.to_owned(), value));
                QueryValue::Obj(pairs)
            }
        };
    }
    out
}

enum Sub<'a> {
    None,
    /// `name[]` or `name[0]`
    Append,
    Key(&'a str),
}

fn split_key(key: &str) -> (&str, Sub<'_>) {
    let Some(open) = key.find('[') else {
        return (key, Sub::None);
    };
    let Some(close) = key[open..].find(']').map(|c| open + c) else {
        return (key, Sub::None);
    };
    let (name, inner) = (&key[..open], &key[open + 1..close]);
    if inner.is_empty() || inner.bytes().all(|b| b.is_ascii_digit()) {
        (name, Sub::Append)
    } else {
        (name, Sub::Key(inner))
    }
}

/// `%XX` decoding (no `+` → space: that is only for query strings). `None` for a malformed
/// escape or bytes that are not UTF-8, like `decodeURIComponent` throwing.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use QueryValue::*;

    #[test]
    fn shapes_like_qs() {
        let q = parse(
            "limit=2&role=admin&role=member&id%5B%5D=usr_1&created_at%5Bgt%5D=2000-01-01&q=a+b",
        );
        assert_eq!(
            q,
            vec![
                ("limit".into(), Str("2".into())),
                ("role".into(), List(vec!["admin".into(), "member".into()])),
                ("id".into(), List(vec!["usr_1".into()])),
                (
                    "created_at".into(),
                    Obj(vec![("gt".into(), "2000-01-01".into())])
                ),
                ("q".into(), Str("a b".into())),
            ]
        );
        assert_eq!(parse(""), vec![]);
        assert_eq!(parse("limit="), vec![("limit".into(), Str(String::new()))]);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("usr%5F1").as_deref(), Some("usr_1"));
        assert_eq!(percent_decode("a+b").as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%"), None);
        assert_eq!(percent_decode("%C3%A9").as_deref(), Some("é"));
    }
}
