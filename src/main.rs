fn main() {
    println!("medusa-users: under construction");
}
