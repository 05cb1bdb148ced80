// Encryption at rest: the envelope, keys from the environment, rotation, enforcement, and that no
// secret reaches the disk.
#include "state/encryption.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "state/local_store.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

using testing::SampleState;
using testing::SampleWebhook;

using testing::ReadAll;

const std::string kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// Few iterations: the tests prove the format, not the cost.
StateStoreOptions WithPassphrase(const std::string& passphrase) {
  StateStoreOptions options;
  options.key = EncryptionKey::Passphrase(passphrase, "STASHFORM_STATE_PASSPHRASE");
  options.pbkdf2_iterations = 1000;
  return options;
}

StateStoreOptions WithRawKey() {
  StateStoreOptions options;
  options.key = *ParseRawKey(kHexKey, "STASHFORM_STATE_KEY");
  return options;
}

class EncryptedStoreTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::string path = dir.File("stashform.state.json");

  void SaveWith(const StateStoreOptions& options, State& state) {
    Status saved = OpenLocalStore(path, options)->Save(state);
    ASSERT_TRUE(saved.ok()) << saved.message();
  }
};

TEST_F(EncryptedStoreTest, NoSecretReachesTheDiskAndTheStateLoadsBack) {
  for (const auto& options : {WithPassphrase("correct horse"), WithRawKey()}) {
    std::filesystem::remove(path);
    State state = SampleState();
    SaveWith(options, state);
    std::string bytes = ReadAll(path);
    for (const std::string secret :
         {"hunter2-webhook-secret", "pa55-credential", "private-token-value", "out-secret", "INFRA/api", "corp"})
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
    auto loaded = OpenLocalStore(path, options)->Load();
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_TRUE((*loaded)->SameContent(state));
    EXPECT_TRUE((*loaded)->Find(state.resources[0].address)->attributes.at("secret").sensitive());
  }
}

TEST_F(EncryptedStoreTest, TheEnvelopeRecordsCipherSaltAndIterations) {
  State state = SampleState();
  SaveWith(WithPassphrase("correct horse"), state);
  boost::json::object envelope = boost::json::parse(ReadAll(path)).as_object();
  EXPECT_EQ(envelope.at("format"), "stashform-encrypted");
  EXPECT_EQ(envelope.at("version"), 1);
  EXPECT_EQ(envelope.at("cipher"), "AES-256-GCM");
  EXPECT_EQ(envelope.at("kdf"), "PBKDF2-SHA512");
  EXPECT_EQ(envelope.at("iterations"), 1000);
  EXPECT_EQ(envelope.at("salt").as_string().size(), 24u);  // 16 bytes in base64
}

TEST_F(EncryptedStoreTest, LaterRunsKeepTheFilesSaltButNeverReuseANonce) {
  State state = SampleState();
  SaveWith(WithPassphrase("correct horse"), state);
  boost::json::object first = boost::json::parse(ReadAll(path)).as_object();
  auto next = OpenLocalStore(path, WithPassphrase("correct horse"));
  State loaded = **next->Load();
  loaded.Upsert(SampleWebhook("INFRA/web"));
  ASSERT_TRUE(next->Save(loaded).ok());
  boost::json::object second = boost::json::parse(ReadAll(path)).as_object();
  EXPECT_EQ(first.at("salt"), second.at("salt"));
  EXPECT_NE(first.at("nonce"), second.at("nonce"));
}

TEST_F(EncryptedStoreTest, AWrongKeyIsNamedAndTheFileIsNeverOverwritten) {
  State state = SampleState();
  SaveWith(WithPassphrase("correct horse"), state);
  std::string bytes = ReadAll(path);
  auto store = OpenLocalStore(path, WithPassphrase("wrong horse"));
  auto loaded = store->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.message(),
            "stashform.state.json cannot be decrypted with STASHFORM_STATE_PASSPHRASE (it was encrypted with a "
            "passphrase): wrong key, or the file was altered");
  EXPECT_FALSE(store->Save(state).ok());
  EXPECT_EQ(ReadAll(path), bytes);
}

TEST_F(EncryptedStoreTest, AnAlteredFileIsRefusedLikeAWrongKey) {
  State state = SampleState();
  SaveWith(WithRawKey(), state);
  std::string bytes = ReadAll(path);
  size_t at = bytes.find("\"ciphertext\": \"") + 20;
  bytes[at] = bytes[at] == 'A' ? 'B' : 'A';
  std::ofstream(path, std::ios::binary) << bytes;
  auto loaded = OpenLocalStore(path, WithRawKey())->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.message().find("wrong key, or the file was altered"), std::string::npos) << loaded.message();
}

TEST_F(EncryptedStoreTest, AnAbsurdIterationCountIsRefusedBeforeAnyKeyStretching) {
  State state = SampleState();
  SaveWith(WithPassphrase("correct horse"), state);
  boost::json::object envelope = boost::json::parse(ReadAll(path)).as_object();
  envelope["iterations"] = 1000000000000;
  std::ofstream(path, std::ios::binary) << boost::json::serialize(envelope);
  auto loaded = OpenLocalStore(path, WithPassphrase("correct horse"))->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.message(), "stashform.state.json: malformed encrypted state envelope");
}

TEST_F(EncryptedStoreTest, AnEncryptedFileWithoutAKeySaysWhereToGiveOne) {
  State state = SampleState();
  SaveWith(WithRawKey(), state);
  auto loaded = OpenLocalStore(path)->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.message(),
            "stashform.state.json is encrypted; set STASHFORM_STATE_PASSPHRASE, STASHFORM_STATE_KEY or "
            "STASHFORM_STATE_KEY_FILE");
}

TEST_F(EncryptedStoreTest, EnforcementRefusesToReadOrWritePlaintext) {
  State state = SampleState();
  SaveWith({}, state);
  StateStoreOptions enforce = WithRawKey();
  enforce.enforce_encryption = true;
  auto loaded = OpenLocalStore(path, enforce)->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.message(),
            "stashform.state.json is not encrypted, and encryption is enforced (STASHFORM_STATE_ENCRYPTION)");

  StateStoreOptions no_key;
  no_key.enforce_encryption = true;
  State fresh = SampleState();
  Status saved = OpenLocalStore(dir.File("other.json"), no_key)->Save(fresh);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.message(),
            "encryption is enforced but no key is set; set STASHFORM_STATE_PASSPHRASE, STASHFORM_STATE_KEY or "
            "STASHFORM_STATE_KEY_FILE");
  EXPECT_FALSE(std::filesystem::exists(dir.File("other.json")));
}

TEST_F(EncryptedStoreTest, RotationReadsWithTheOldKeyAndRewritesWithTheNewOne) {
  State state = SampleState();
  SaveWith(WithPassphrase("old horse"), state);
  StateStoreOptions rotate = WithRawKey();
  rotate.old_key = EncryptionKey::Passphrase("old horse", "STASHFORM_STATE_OLD_PASSPHRASE");
  auto store = OpenLocalStore(path, rotate);
  State loaded = **store->Load();
  ASSERT_TRUE(store->Save(loaded).ok());
  EXPECT_EQ(loaded.serial, 1u) << "re-encrypting is not a change of content";
  EXPECT_TRUE(OpenLocalStore(path, WithRawKey())->Load().ok());
  EXPECT_FALSE(OpenLocalStore(path, WithPassphrase("old horse"))->Load().ok());
}

TEST_F(EncryptedStoreTest, APlaintextStateIsEncryptedOnceAKeyIsGiven) {
  State state = SampleState();
  SaveWith({}, state);
  auto store = OpenLocalStore(path, WithRawKey());
  State loaded = **store->Load();
  ASSERT_TRUE(store->Save(loaded).ok());
  EXPECT_TRUE(LooksEncrypted(ReadAll(path)));
  EXPECT_EQ(ReadAll(path).find("hunter2-webhook-secret"), std::string::npos);
}

struct EnvCase {
  std::map<std::string, std::string> env;
  std::string error;  // empty: expected to succeed
};

class OptionsFromEnvironment : public ::testing::TestWithParam<EnvCase> {};

TEST_P(OptionsFromEnvironment, AcceptsOneKeyPerRoleAndExplainsMistakes) {
  auto env = GetParam().env;
  auto options = StateStoreOptionsFromEnvironment([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  if (GetParam().error.empty())
    EXPECT_TRUE(options.ok()) << options.message();
  else
    EXPECT_EQ(options.message(), GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Table, OptionsFromEnvironment,
    ::testing::Values(
        EnvCase{{}, ""}, EnvCase{{{"STASHFORM_STATE_PASSPHRASE", "pw"}}, ""},
        EnvCase{{{"STASHFORM_STATE_KEY", kHexKey}}, ""},
        EnvCase{{{"STASHFORM_STATE_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}}, ""},
        EnvCase{{{"STASHFORM_STATE_KEY", "short"}},
                "STASHFORM_STATE_KEY: a raw key is 64 hex digits or the base64 of 32 bytes"},
        EnvCase{{{"STASHFORM_STATE_PASSPHRASE", "pw"}, {"STASHFORM_STATE_KEY", kHexKey}},
                "set only one of STASHFORM_STATE_PASSPHRASE, STASHFORM_STATE_KEY and STASHFORM_STATE_KEY_FILE"},
        EnvCase{{{"STASHFORM_STATE_KEY_FILE", "/nonexistent/key"}},
                "STASHFORM_STATE_KEY_FILE: /nonexistent/key does not exist"},
        EnvCase{{{"STASHFORM_STATE_PASSPHRASE", "new"}, {"STASHFORM_STATE_OLD_PASSPHRASE", "old"}}, ""},
        EnvCase{{{"STASHFORM_STATE_ENCRYPTION", "enforce"}}, ""},
        EnvCase{{{"STASHFORM_STATE_ENCRYPTION", "yes"}},
                "STASHFORM_STATE_ENCRYPTION is \"yes\"; use \"enforce\" or \"optional\""}));

TEST(OptionsFromEnvironmentFile, ReadsARawKeyFromTheKeyFile) {
  testing::TempDir dir;
  std::ofstream(dir.File("key")) << kHexKey << "\n";
  std::map<std::string, std::string> env{{"STASHFORM_STATE_KEY_FILE", dir.File("key")},
                                         {"STASHFORM_STATE_ENCRYPTION", "enforce"}};
  auto options = StateStoreOptionsFromEnvironment([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  ASSERT_TRUE(options.ok()) << options.message();
  ASSERT_TRUE(options->key.has_value());
  EXPECT_EQ(options->key->kind, EncryptionKey::Kind::kRaw);
  EXPECT_EQ(options->key->secret, WithRawKey().key->secret);
  EXPECT_TRUE(options->enforce_encryption);
}

TEST(RawKey, HexAndBase64SpellTheSameKey) {
  auto hex = ParseRawKey(kHexKey, "hex");
  auto base64 = ParseRawKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "base64");
  ASSERT_TRUE(hex.ok() && base64.ok());
  EXPECT_EQ(hex->secret, base64->secret);
  EXPECT_EQ(hex->secret.size(), 32u);
}

}  // namespace
}  // namespace stashform::state
