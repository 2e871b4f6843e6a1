// A core::Service whose every method fails through one hook, so a test
// service overrides only what its test drives. The default hook answers
// internal ("not scripted: <method>"); a test can throw from it instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"

namespace authd_test {

class StubService : public core::Service {
 public:
  virtual common::Error unscripted(std::string_view method) {
    return common::make_error(common::Errc::internal, "not scripted: " + std::string(method));
  }

  common::Result<core::LoginGrant> login(const core::LoginRequest&) override {
    return unscripted("login");
  }
  common::Result<core::Principal> authenticate(std::string_view, std::string_view) override {
    return unscripted("authenticate");
  }
  common::Result<void> logout(const core::Principal&) override { return unscripted("logout"); }
  common::Result<void> change_password(const core::Principal&, std::string_view,
                                       std::string_view) override {
    return unscripted("change_password");
  }
  common::Result<core::UserView> create_user(const core::Principal&,
                                             const core::NewUser&) override {
    return unscripted("create_user");
  }
  common::Result<core::UserView> approve_user(const core::Principal&, std::string_view) override {
    return unscripted("approve_user");
  }
  common::Result<core::UserView> reject_user(const core::Principal&, std::string_view,
                                             const core::ActionRecord&) override {
    return unscripted("reject_user");
  }
  common::Result<core::UserView> record_conditions(const core::Principal&, std::string_view,
                                                   const core::ConditionsUpdate&) override {
    return unscripted("record_conditions");
  }
  common::Result<core::UserView> update_user(const core::Principal&, std::string_view,
                                             const core::UserUpdate&) override {
    return unscripted("update_user");
  }
  common::Result<core::UserView> clear_access_review(const core::Principal&, std::string_view,
                                                     std::string_view) override {
    return unscripted("clear_access_review");
  }
  common::Result<core::UserView> suspend_user(const core::Principal&, std::string_view,
                                              const core::ActionRecord&) override {
    return unscripted("suspend_user");
  }
  common::Result<core::UserView> reactivate_user(const core::Principal&, std::string_view,
                                                 const core::ActionRecord&) override {
    return unscripted("reactivate_user");
  }
  common::Result<core::UserView> close_user(const core::Principal&, std::string_view,
                                            const core::ActionRecord&) override {
    return unscripted("close_user");
  }
  common::Result<core::UserView> unlock_user(const core::Principal&, std::string_view) override {
    return unscripted("unlock_user");
  }
  common::Result<std::string> reset_password(const core::Principal&, std::string_view) override {
    return unscripted("reset_password");
  }
  common::Result<core::UserView> get_user(const core::Principal&, std::string_view) override {
    return unscripted("get_user");
  }
  common::Result<std::vector<core::Organisation>> list_organisations(
      const core::Principal&) override {
    return unscripted("list_organisations");
  }
  common::Result<core::Organisation> create_organisation(const core::Principal&,
                                                         const core::Organisation&) override {
    return unscripted("create_organisation");
  }
  common::Result<core::IssuedTotp> issue_token(const core::Principal&, std::string_view,
                                               std::string_view) override {
    return unscripted("issue_token");
  }
  common::Result<core::IssuedTotp> issue_temporary_token(const core::Principal&, std::string_view,
                                                         std::string_view) override {
    return unscripted("issue_temporary_token");
  }
  common::Result<core::IssuedSecurityKey> issue_security_key(const core::Principal&,
                                                             std::string_view) override {
    return unscripted("issue_security_key");
  }
  common::Result<core::WebAuthnCeremony> begin_key_registration(const core::Principal&) override {
    return unscripted("begin_key_registration");
  }
  common::Result<core::WebAuthnCeremony> begin_key_registration(
      const core::KeyEnrolmentRequest&) override {
    return unscripted("begin_key_registration");
  }
  common::Result<core::TokenView> finish_key_registration(const core::Principal*, std::string_view,
                                                          std::string_view,
                                                          std::string_view) override {
    return unscripted("finish_key_registration");
  }
  common::Result<core::WebAuthnCeremony> begin_key_login(const core::KeyLoginRequest&) override {
    return unscripted("begin_key_login");
  }
  common::Result<core::LoginGrant> finish_key_login(std::string_view, std::string_view,
                                                    std::string_view) override {
    return unscripted("finish_key_login");
  }
  common::Result<core::TokenView> activate_token(const core::Principal&, std::string_view,
                                                 std::string_view) override {
    return unscripted("activate_token");
  }
  common::Result<core::TokenView> report_token_lost(const core::Principal&, std::string_view,
                                                    std::string_view) override {
    return unscripted("report_token_lost");
  }
  common::Result<core::TokenView> revoke_token(const core::Principal&, std::string_view,
                                               std::string_view) override {
    return unscripted("revoke_token");
  }
  common::Result<core::TokenView> return_token(const core::Principal&, std::string_view,
                                               std::string_view) override {
    return unscripted("return_token");
  }
  common::Result<core::TokenView> resync_token(const core::Principal&, std::string_view,
                                               std::string_view, std::string_view) override {
    return unscripted("resync_token");
  }
  common::Result<core::Organisation> set_admin_rights(const core::Principal&, std::string_view,
                                                      std::string_view,
                                                      std::string_view) override {
    return unscripted("set_admin_rights");
  }
  common::Result<core::SweepResult> sweep(const core::Principal&) override {
    return unscripted("sweep");
  }
  common::Result<core::SweepResult> run_scheduled_sweep() override {
    return unscripted("run_scheduled_sweep");
  }
  common::Result<core::Report> report(const core::Principal&, std::string_view) override {
    return unscripted("report");
  }
  common::Result<std::vector<core::NotificationView>> list_notifications(const core::Principal&,
                                                                         int64_t, int) override {
    return unscripted("list_notifications");
  }
  common::Result<std::vector<core::AuditEntry>> list_audit(const core::Principal&, int64_t,
                                                           int) override {
    return unscripted("list_audit");
  }
  common::Result<core::Checkpoint> checkpoint_audit(const core::Principal&) override {
    return unscripted("checkpoint_audit");
  }
  common::Result<std::vector<core::Checkpoint>> list_checkpoints(const core::Principal&, int64_t,
                                                                 int) override {
    return unscripted("list_checkpoints");
  }
  common::Result<core::AuditExport> export_audit(const core::Principal&, int64_t,
                                                 int64_t) override {
    return unscripted("export_audit");
  }
  common::Result<core::KeyView> rotate_key(const core::Principal&, std::string_view) override {
    return unscripted("rotate_key");
  }
  common::Result<std::vector<core::KeyView>> list_keys() override {
    return unscripted("list_keys");
  }
  common::Result<std::vector<core::KeyView>> list_keys(const core::Principal&) override {
    return unscripted("list_keys");
  }
  core::HealthReport health() override { return {}; }
  common::Result<void> shutdown() override { return {}; }
};

}  // namespace authd_test
