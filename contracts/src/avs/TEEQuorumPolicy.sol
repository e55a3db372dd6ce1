// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {ITEELivenessVerifier} from "../interfaces/ITEELivenessVerifier.sol";
import {Ownable} from "../utils/Ownable.sol";
import {TEELivenessVerifierStorage} from "./TEELivenessVerifierStorage.sol";

/// @title Per-TEE-quorum attestation policies of the TEELivenessVerifier (mpavs, issue #15 item 1): the
///        owner-set rules, the check of a verified quote against a quorum's policy and the re-check of a
///        recorded liveness proof (revocation takes effect in the views at once).
/// @notice Rules per quorum: SGX MRENCLAVE values and/or (MRSIGNER, ISVPRODID) pairs with a minimum ISVSVN;
///         TDX workload identities keccak256(MRTD ‖ RTMR0..3 ‖ MRCONFIGID) with DEBUG refused and
///         SEPT_VE_DISABLE required; a set of accepted TCB statuses. State in TEELivenessVerifierStorage.
abstract contract TEEQuorumPolicy is Ownable, TEELivenessVerifierStorage {
    /// @dev IMultiProverServiceManager.TEE values.
    uint8 internal constant TEE_INTEL_SGX = 1;
    uint8 internal constant TEE_INTEL_TDX = 5;
    /// @dev LivenessPolicyRecord.kind values.
    uint8 internal constant KIND_NONE = 0;
    uint8 internal constant KIND_MRENCLAVE = 1;
    uint8 internal constant KIND_SGX_SIGNER = 2;
    uint8 internal constant KIND_TD_IDENTITY = 3;
    /// @dev TDATTRIBUTES bits: TUD.DEBUG and SEC.SEPT_VE_DISABLE.
    uint64 internal constant TD_DEBUG = 1;
    uint64 internal constant TD_SEPT_VE_DISABLE = 1 << 28;
    /// @dev TCB status bits a quorum may accept: 0 OK .. 5 OUT_OF_DATE_CONFIGURATION_NEEDED (6 REVOKED, 7 UNRECOGNIZED never).
    uint16 internal constant TCB_MASK_ALLOWED = 0x3f;

    // ---- owner rules ----

    /// @inheritdoc ITEELivenessVerifier
    function setQuorumPolicy(uint8 quorumNumber, uint8 teeType, uint16 acceptedTcbStatuses) external onlyOwner {
        if ((teeType != 0 && teeType != TEE_INTEL_SGX && teeType != TEE_INTEL_TDX) || acceptedTcbStatuses & ~TCB_MASK_ALLOWED != 0) {
            revert InvalidQuorumPolicy();
        }
        QuorumPolicy storage p = quorumPolicies[quorumNumber];
        if (p.teeType != teeType) p.epoch += 1;
        p.teeType = teeType;
        p.acceptedTcbStatuses = acceptedTcbStatuses;
        emit QuorumPolicySet(quorumNumber, teeType, acceptedTcbStatuses, p.epoch);
    }

    /// @inheritdoc ITEELivenessVerifier
    function setQuorumMrEnclave(uint8 quorumNumber, bytes32 mrEnclave, bool allowed) external onlyOwner {
        quorumMrEnclaveAllowed[quorumNumber][mrEnclave] = allowed;
        emit QuorumMrEnclaveSet(quorumNumber, mrEnclave, allowed);
    }

    /// @inheritdoc ITEELivenessVerifier
    function setQuorumSgxSigner(uint8 quorumNumber, bytes32 mrSigner, uint16 isvProdId, bool allowed, uint16 minIsvSvn)
        external
        onlyOwner
    {
        quorumSgxSigners[quorumNumber][mrSigner][isvProdId] = SgxSignerRule(allowed, allowed ? minIsvSvn : 0);
        emit QuorumSgxSignerSet(quorumNumber, mrSigner, isvProdId, allowed, allowed ? minIsvSvn : 0);
    }

    /// @inheritdoc ITEELivenessVerifier
    function setQuorumTdIdentity(uint8 quorumNumber, bytes32 tdIdentity, bool allowed) external onlyOwner {
        quorumTdIdentityAllowed[quorumNumber][tdIdentity] = allowed;
        emit QuorumTdIdentitySet(quorumNumber, tdIdentity, allowed);
    }

    /// @inheritdoc ITEELivenessVerifier
    function setQuorumPolicyRequired(bool required) external onlyOwner {
        quorumPolicyRequired = required;
        emit QuorumPolicyRequiredSet(required);
    }

    /// @inheritdoc ITEELivenessVerifier
    function tdIdentityHash(bytes calldata mrTd, bytes calldata rtmrs, bytes calldata mrConfigId)
        external
        pure
        returns (bytes32)
    {
        if (mrTd.length != 48 || rtmrs.length != 192 || mrConfigId.length != 48) revert InvalidTdMeasurementLength();
        return keccak256(abi.encodePacked(mrTd, rtmrs, mrConfigId));
    }

    // ---- checks ----

    /// @dev The record a quote gets in quorum `q`; reverts when the quorum's policy refuses it. SGX: the
    ///      MRENCLAVE rule first, then the (MRSIGNER, ISVPRODID) rule; the record names the rule that allowed it.
    function _admit(uint8 q, IAttestationVerifier.VerifiedQuote memory vq, bytes32 reportHash)
        internal
        view
        returns (LivenessPolicyRecord memory r)
    {
        QuorumPolicy memory p = quorumPolicies[q];
        if (p.teeType == 0) revert QuorumPolicyNotSet(q);
        if (vq.teeType != p.teeType) revert TeeTypeMismatch(q, vq.teeType);
        if ((p.acceptedTcbStatuses >> vq.tcbStatus) & 1 == 0) revert QuorumTcbStatusNotAllowed(q, vq.tcbStatus);
        r.quorumNumber = q;
        r.teeType = vq.teeType;
        r.tcbStatus = vq.tcbStatus;
        r.epoch = p.epoch;
        r.reportHash = reportHash;
        if (vq.teeType == TEE_INTEL_SGX) {
            r.isvProdId = vq.isvProdId;
            r.isvSvn = vq.isvSvn;
            if (quorumMrEnclaveAllowed[q][vq.mrEnclave]) {
                (r.kind, r.identity) = (KIND_MRENCLAVE, vq.mrEnclave);
            } else {
                (r.kind, r.identity) = (KIND_SGX_SIGNER, vq.mrSigner);
                if (!_ruleHolds(r)) revert MeasurementNotAllowed(q);
            }
        } else {
            if (vq.tdAttributes & TD_DEBUG != 0 || vq.tdAttributes & TD_SEPT_VE_DISABLE == 0) {
                revert TdAttributesNotAllowed(vq.tdAttributes);
            }
            (r.kind, r.identity) = (KIND_TD_IDENTITY, vq.tdIdentity);
            if (!_ruleHolds(r)) revert MeasurementNotAllowed(q);
        }
    }

    /// @dev Whether record r is still in its quorum's policy: same TEE type and epoch, TCB status accepted, rule allowing it.
    function _inPolicy(LivenessPolicyRecord memory r) internal view returns (bool) {
        QuorumPolicy memory p = quorumPolicies[r.quorumNumber];
        if (p.teeType == 0 || p.teeType != r.teeType || p.epoch != r.epoch) return false;
        if ((p.acceptedTcbStatuses >> r.tcbStatus) & 1 == 0) return false;
        return _ruleHolds(r);
    }

    /// @dev Whether the rule of kind r.kind in quorum r.quorumNumber allows r.identity (and r.isvSvn).
    function _ruleHolds(LivenessPolicyRecord memory r) internal view returns (bool) {
        uint8 q = r.quorumNumber;
        if (r.kind == KIND_MRENCLAVE) return quorumMrEnclaveAllowed[q][r.identity];
        if (r.kind == KIND_SGX_SIGNER) {
            SgxSignerRule memory s = quorumSgxSigners[q][r.identity][r.isvProdId];
            return s.allowed && r.isvSvn >= s.minIsvSvn;
        }
        if (r.kind == KIND_TD_IDENTITY) return quorumTdIdentityAllowed[q][r.identity];
        return false;
    }

    /// @dev The policy part of the liveness views: a proof of submitLivenessProofV4 must still be in policy;
    ///      one of submitLivenessProofV3 holds unless quorumPolicyRequired.
    function _policyHolds(bytes32 key) internal view returns (bool) {
        LivenessPolicyRecord memory r = livenessPolicyRecords[key];
        if (r.kind == KIND_NONE) return !quorumPolicyRequired;
        return _inPolicy(r);
    }
}
