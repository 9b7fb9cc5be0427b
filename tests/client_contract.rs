//! The client against a backend: the sandbox always, a real Medusa v1 too when MEDUSA_V1_URL
//! is set. (Being written.)

mod support;

use support::target::Target;

#[tokio::test]
async fn admin_can_list_and_see_themself() {
    for target in Target::all(0).await {
        let client = target.client();
        let me = client.me().await.unwrap();
        assert_eq!(me.email, target.email, "{}", target.name);
        let page = client.list(&Default::default()).await.unwrap();
        assert!(page.users.iter().any(|u| u.email == target.email), "{}", target.name);
    }
}
