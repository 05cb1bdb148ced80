#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/digest.h"
#include "base/schema.h"
#include "base/value.h"

namespace stashform {
namespace {

TEST(Value, SetsCompareWithoutOrderOrRepeats) {
  Value a = Value::StringList({"pr:merged", "repo:refs_changed"});
  Value b = Value::StringList({"repo:refs_changed", "pr:merged", "pr:merged"});
  EXPECT_TRUE(Value::SetEqual(a, b));
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(Value::SetEqual(a, Value::StringList({"pr:merged"})));
}

TEST(Value, SensitiveValuesRenderMaskedAtAnyDepth) {
  Value secret = Value::Sensitive(Value("hunter2"));
  EXPECT_EQ(secret.Render(), "(sensitive)");
  Value::Map map{{"secret", secret}, {"name", Value("a")}};
  EXPECT_EQ(Value(map).Render(), "{ name = \"a\", secret = (sensitive) }");
  EXPECT_TRUE(Value(Value::List{Value(1), secret}).ContainsSensitive());
  EXPECT_EQ(secret, Value("hunter2")) << "the mark is not part of equality";
}

TEST(Value, JsonRoundTripKeepsKinds) {
  Value original(Value::Map{{"n", Value(int64_t{3})}, {"f", Value(1.5)}, {"b", Value(true)},
                            {"l", Value::StringList({"x"})}, {"z", Value()}});
  EXPECT_EQ(Value::FromJson(original.ToJson()), original);
}

TEST(Value, UnknownPropagatesThroughContainers) {
  Value list(Value::List{Value("a"), Value::UnknownValue()});
  EXPECT_TRUE(list.ContainsUnknown());
  EXPECT_EQ(list.Render(), "[ \"a\", (known after apply) ]");
}

TEST(AttributeValuesEqual, WriteOnlySecretsCompareByDigest) {
  AttributeSchema secret;
  secret.name = "secret";
  secret.write_only = secret.sensitive = true;
  EXPECT_TRUE(AttributeValuesEqual(secret, Value("s3cret"), Value(SecretDigest("s3cret"))));
  EXPECT_FALSE(AttributeValuesEqual(secret, Value("other"), Value(SecretDigest("s3cret"))));
  EXPECT_TRUE(AttributeValuesEqual(secret, Value(), Value("")));
  EXPECT_FALSE(AttributeValuesEqual(secret, Value(), Value(SecretDigest("s3cret"))));
  Value stored = ValueForState(secret, Value("s3cret"));
  EXPECT_EQ(stored.as_string(), SecretDigest("s3cret"));
  EXPECT_TRUE(stored.sensitive());
}

TEST(AttributeValuesEqual, UnknownIsNeverEqual) {
  AttributeSchema attr;
  EXPECT_FALSE(AttributeValuesEqual(attr, Value::UnknownValue(), Value::UnknownValue()));
}

TEST(Digest, IsSha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsSecretDigest(SecretDigest("x")));
  EXPECT_FALSE(IsSecretDigest("sha256:short"));
}

}  // namespace
}  // namespace stashform

namespace stashform {
namespace {

TEST(ValueReferences, JoinMergesStringsAndKeepsReferences) {
  Value joined = Value::Join({Value("https://"), Value::Ref("spacelift.x[\"a\"]", "host"), Value("/hook")});
  ASSERT_TRUE(joined.is_concat());
  EXPECT_EQ(joined.as_concat().parts.size(), 3u);
  std::vector<Value::Reference> refs;
  Value(Value::List{joined, Value::Ref("b[\"c\"]", "d")}).CollectReferences(refs);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].attribute, "host");
  EXPECT_EQ(Value::Join({Value("a"), Value("b")}), Value("ab"));
}

TEST(ValueReferences, JoiningASecretStaysSensitive) {
  Value joined = Value::Join({Value("Bearer "), Value::Sensitive(Value("t0ken"))});
  EXPECT_TRUE(joined.sensitive());
  EXPECT_EQ(joined.Render(), "(sensitive)");
}

}  // namespace
}  // namespace stashform
