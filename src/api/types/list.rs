//! Listing users: the columns the server can sort by, a sort order in Medusa's syntax
//! (`-created_at`), and the query parameters of `GET /admin/users`.

use std::fmt;
use std::str::FromStr;

use super::Role;

/// A column the server can sort by. Medusa accepts any column name and answers 500 to an
/// unknown one, so the client only offers the ones that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderField {
    CreatedAt,
    UpdatedAt,
    Email,
    FirstName,
    LastName,
    Role,
}

impl OrderField {
    pub const ALL: [OrderField; 6] = [
        OrderField::CreatedAt,
        OrderField::UpdatedAt,
        OrderField::Email,
        OrderField::FirstName,
        OrderField::LastName,
        OrderField::Role,
    ];

    pub fn column(self) -> &'static str {
        match self {
            OrderField::CreatedAt => "created_at",
            OrderField::UpdatedAt => "updated_at",
            OrderField::Email => "email",
            OrderField::FirstName => "first_name",
            OrderField::LastName => "last_name",
            OrderField::Role => "role",
        }
    }
}

/// A sort order, written the way Medusa takes it: `email` ascending, `-created_at` descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Order {
    pub field: OrderField,
    pub descending: bool,
}

impl Order {
    pub const fn asc(field: OrderField) -> Self {
        Order {
            field,
            descending: false,
        }
    }

    pub const fn desc(field: OrderField) -> Self {
        Order {
            field,
            descending: true,
        }
    }
}

impl Default for Order {
    /// The server's own default: newest first.
    fn default() -> Self {
        Order::desc(OrderField::CreatedAt)
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        f.write_str(self.field.column())
    }
}

impl FromStr for Order {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (field, descending) = parse_order(s, &OrderField::ALL, OrderField::column)?;
        Ok(Order { field, descending })
    }
}

/// Reads an order in Medusa's syntax, `email`, `-created_at` (descending) or `+email`, where
/// `fields` are the ones allowed and `name` says each one's name: users and invites sort over
/// different fields, written and refused the same way. The field and whether it is descending.
pub(crate) fn parse_order<F: Copy>(
    s: &str,
    fields: &[F],
    name: fn(F) -> &'static str,
) -> Result<(F, bool), String> {
    let s = s.trim();
    let (descending, wanted) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    fields
        .iter()
        .copied()
        .find(|&f| name(f) == wanted)
        .map(|field| (field, descending))
        .ok_or_else(|| {
            let names: Vec<&str> = fields.iter().map(|&f| name(f)).collect();
            format!(
                "unknown order {s:?}: expected one of {} (prefix - for descending)",
                names.join(", ")
            )
        })
}

/// Query parameters of `GET /admin/users`. `None` leaves a parameter to the server's default
/// (limit 50, offset 0, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    pub limit: Option<u32>,
    pub offset: Option<u64>,
    pub q: Option<String>,
    pub order: Option<Order>,
    pub roles: Vec<Role>,
    pub email: Option<String>,
}

impl ListParams {
    /// The query string pairs, in a stable order. `role` repeats (`role=a&role=b`); the server's
    /// query parser turns a repeated key into an array, and a single one still filters.
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit".to_owned(), limit.to_string()));
        }
        if let Some(offset) = self.offset {
            pairs.push(("offset".to_owned(), offset.to_string()));
        }
        if let Some(q) = self.q.as_ref().filter(|q| !q.is_empty()) {
            pairs.push(("q".to_owned(), q.clone()));
        }
        if let Some(order) = self.order {
            pairs.push(("order".to_owned(), order.to_string()));
        }
        for role in &self.roles {
            pairs.push(("role".to_owned(), role.as_str().to_owned()));
        }
        if let Some(email) = &self.email {
            pairs.push(("email".to_owned(), email.clone()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_round_trips_through_medusa_syntax() {
        let o: Order = "-created_at".parse().unwrap();
        assert_eq!(o, Order::desc(OrderField::CreatedAt));
        assert_eq!(o.to_string(), "-created_at");
        let o: Order = "email".parse().unwrap();
        assert_eq!(o, Order::asc(OrderField::Email));
        assert!("bogus".parse::<Order>().unwrap_err().contains("email"));
    }

    #[test]
    fn list_params_serialise_like_medusa_js() {
        let p = ListParams {
            limit: Some(20),
            offset: Some(40),
            q: Some("ali".into()),
            order: Some(Order::asc(OrderField::Email)),
            roles: vec![Role::Admin, Role::Developer],
            email: None,
        };
        let q = p.to_query();
        assert_eq!(
            q,
            vec![
                ("limit".into(), "20".into()),
                ("offset".into(), "40".into()),
                ("q".into(), "ali".into()),
                ("order".into(), "email".into()),
                ("role".into(), "admin".into()),
                ("role".into(), "developer".into()),
            ]
        );
    }
}
