// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ITEELivenessVerifier as IT} from "../src/interfaces/ITEELivenessVerifier.sol";
import {IMultiProverServiceManager as IM} from "../src/interfaces/IMultiProverServiceManager.sol";
import {IBLSSignatureChecker} from "../src/interfaces/IBLSSignatureChecker.sol";
import {TestBase} from "./Base.sol";
import {MultiProverServiceManager as M} from "../src/avs/MultiProverServiceManager.sol";
import {TEELivenessVerifier as T} from "../src/avs/TEELivenessVerifier.sol";
import {AttestationVerifier as A} from "../src/avs/AttestationVerifier.sol";
import {IAttestation} from "../src/interfaces/IAttestation.sol";
import {RegistryCoordinator as RC} from "../src/middleware/RegistryCoordinator.sol";
import {BLSApkRegistry as B} from "../src/middleware/BLSApkRegistry.sol";
import {StakeRegistry as S} from "../src/middleware/StakeRegistry.sol";
import {IndexRegistry as I} from "../src/middleware/IndexRegistry.sol";
import {OperatorStateRetriever as O} from "../src/middleware/OperatorStateRetriever.sol";
import {DelegationManager as D} from "../src/core/DelegationManager.sol";
import {StrategyManager as SM} from "../src/core/StrategyManager.sol";
import {AVSDirectory as AD} from "../src/core/AVSDirectory.sol";
import {BLSSignatureChecker} from "../src/middleware/BLSSignatureChecker.sol";
import {Pausable} from "../src/utils/Pausable.sol";
import {Ownable} from "../src/utils/Ownable.sol";
import {Initializable} from "../src/utils/Initializable.sol";
import {StrategyBase as SB} from "../src/core/StrategyBase.sol";

/// @notice Interface identity with the upstream ABIs: every selector, event topic and custom error
///         selector listed in shared/spec/upstream.md §5 and eigenlayer.md §3.6.
contract SelectorsTest is TestBase {
    function _eq(bytes4 got, bytes4 want, string memory what) internal pure {
        if (got != want) revert(string(abi.encodePacked("selector mismatch: ", what)));
    }

    function _ev(bytes32 got, bytes32 want, string memory what) internal pure {
        if (got != want) revert(string(abi.encodePacked("event topic mismatch: ", what)));
    }

    function test_serviceManagerSelectors() external view {
        _eq(M(address(0)).confirmState.selector, 0x19718835, "confirmState");
        _eq(M(address(0)).addCommittee.selector, 0x5fd6c531, "addCommittee");
        _eq(M(address(0)).updateCommittee.selector, 0xb36487b9, "updateCommittee");
        _eq(M(address(0)).removeCommittee.selector, 0x38628003, "removeCommittee");
        _eq(M(address(0)).addTEEQuorum.selector, 0xbce475dc, "addTEEQuorum");
        _eq(M(address(0)).removeTEEQuorum.selector, 0x7135aad4, "removeTEEQuorum");
        _eq(M(address(0)).setStateConfirmer.selector, 0x93df6af6, "setStateConfirmer");
        _eq(M(address(0)).setPoAManager.selector, 0x9d71ad88, "setPoAManager");
        _eq(M(address(0)).setCommitteeManager.selector, 0x1f8d48d3, "setCommitteeManager");
        _eq(M(address(0)).enablePoA.selector, 0x12f8b905, "enablePoA");
        _eq(M(address(0)).disablePoA.selector, 0x05db3698, "disablePoA");
        _eq(M(address(0)).whitelistOperator.selector, 0x2a2b0bcd, "whitelistOperator");
        _eq(M(address(0)).blacklistOperator.selector, 0xb4492ecc, "blacklistOperator");
        _eq(M(address(0)).isPoAEnabled.selector, 0x64330892, "isPoAEnabled");
        _eq(M(address(0)).isOperatorWhitelisted.selector, 0x2e8da829, "isOperatorWhitelisted");
        _eq(M(address(0)).registerOperatorToAVS.selector, 0x9926ee7d, "registerOperatorToAVS");
        _eq(M(address(0)).deregisterOperatorFromAVS.selector, 0xa364f4da, "deregisterOperatorFromAVS");
        _eq(M(address(0)).updateAVSMetadataURI.selector, 0xa98fb355, "updateAVSMetadataURI");
        _eq(M(address(0))._hashReducedStateHeader.selector, 0xe6d52594, "_hashReducedStateHeader");
        _eq(M(address(0)).checkSignatures.selector, 0x6efb4636, "checkSignatures");
        _eq(M(address(0)).trySignatureAndApkVerification.selector, 0x171f1d5b, "trySignatureAndApkVerification");
        _eq(M(address(0)).setStaleStakesForbidden.selector, 0x416c7e5e, "setStaleStakesForbidden");
        _eq(M(address(0)).pause.selector, 0x136439dd, "pause");
        _eq(M(address(0)).pauseAll.selector, 0x595c6a67, "pauseAll");
        _eq(M(address(0)).unpause.selector, 0xfabc1cbc, "unpause");
        _eq(M(address(0)).setPauserRegistry.selector, 0x10d67a2f, "setPauserRegistry");
        _eq(bytes4(keccak256("paused()")), 0x5c975abb, "paused()");
        _eq(bytes4(keccak256("paused(uint8)")), 0x5ac86ab7, "paused(uint8)");
        _eq(M(address(0)).pauserRegistry.selector, 0x886f1195, "pauserRegistry");
        _eq(M(address(0)).transferOwnership.selector, 0xf2fde38b, "transferOwnership");
        _eq(M(address(0)).renounceOwnership.selector, 0x715018a6, "renounceOwnership");
        _eq(M(address(0)).owner.selector, 0x8da5cb5b, "owner");
        _eq(M(address(0)).avsDirectory.selector, 0x6b3aa72e, "avsDirectory");
        _eq(M(address(0)).registryCoordinator.selector, 0x6d14a987, "registryCoordinator");
        _eq(M(address(0)).stakeRegistry.selector, 0x68304835, "stakeRegistry");
        _eq(M(address(0)).blsApkRegistry.selector, 0x5df45946, "blsApkRegistry");
        _eq(M(address(0)).delegation.selector, 0xdf5cf723, "delegation");
        _eq(M(address(0)).staleStakesForbidden.selector, 0xb98d0908, "staleStakesForbidden");
        _eq(M(address(0)).getRestakeableStrategies.selector, 0xe481af9d, "getRestakeableStrategies");
        _eq(M(address(0)).getOperatorRestakedStrategies.selector, 0x33cfb7b7, "getOperatorRestakedStrategies");
        _eq(M(address(0)).taskId.selector, 0x3322b23d, "taskId");
        _eq(M(address(0)).taskIdToMetadataHash.selector, 0xf2a5973a, "taskIdToMetadataHash");
        _eq(M(address(0)).committees.selector, 0xf5e820fd, "committees");
        _eq(M(address(0)).teeQuorums.selector, 0x4b8606e2, "teeQuorums");
        _eq(M(address(0)).quorumIdToCommitteeId.selector, 0xcb6b33b5, "quorumIdToCommitteeId");
        _eq(M(address(0)).stateConfirmer.selector, 0x60268489, "stateConfirmer");
        _eq(M(address(0)).poaManager.selector, 0x4fbc0f9a, "poaManager");
        _eq(M(address(0)).committeeManager.selector, 0x7e8611e2, "committeeManager");
        _eq(M(address(0)).poaEnabled.selector, 0xf7c089f1, "poaEnabled");
        _eq(M(address(0)).PAUSED_SUBMIT_STATE.selector, 0x8a99056c, "PAUSED_SUBMIT_STATE");
        _eq(M(address(0)).PAUSED_OPERTOR_REGISTRATION.selector, 0xe9f7903f, "PAUSED_OPERTOR_REGISTRATION");
        _eq(M(address(0)).THRESHOLD_DENOMINATOR.selector, 0xef024458, "THRESHOLD_DENOMINATOR");
        _eq(M(address(0)).initialize.selector, 0x7ac525a9, "initialize");
    }

    /// @notice The events mpavs adds (not upstream): their signatures are part of the interface monitors read.
    function test_addedEvents() external pure {
        _ev(IM.PoAStatusUpdated.selector, keccak256("PoAStatusUpdated(bool)"), "PoAStatusUpdated");
        _ev(IM.OperatorWhitelistUpdated.selector, keccak256("OperatorWhitelistUpdated(address,bool)"), "OperatorWhitelistUpdated");
        _ev(IM.CommitteeUpdated.selector, keccak256("CommitteeUpdated(uint256,string,bytes,bytes)"), "CommitteeUpdated");
        _ev(IM.CommitteeRemoved.selector, keccak256("CommitteeRemoved(uint256)"), "CommitteeRemoved");
        _ev(IM.TEEQuorumAdded.selector, keccak256("TEEQuorumAdded(uint8,uint8)"), "TEEQuorumAdded");
        _ev(IM.TEEQuorumRemoved.selector, keccak256("TEEQuorumRemoved(uint8)"), "TEEQuorumRemoved");
        _ev(IT.LivenessProofSubmitted.selector,
            keccak256("LivenessProofSubmitted(bytes32,address,bytes32,bytes32,bytes32,uint256)"), "LivenessProofSubmitted");
        _ev(IT.AttestationVerifierUpdated.selector, keccak256("AttestationVerifierUpdated(address,address)"), "AttestationVerifierUpdated");
        _ev(IT.MaxBlockNumberDiffUpdated.selector, keccak256("MaxBlockNumberDiffUpdated(uint256,uint256)"), "MaxBlockNumberDiffUpdated");
        _ev(IT.AttestValiditySecondsUpdated.selector, keccak256("AttestValiditySecondsUpdated(uint256,uint256)"), "AttestValiditySecondsUpdated");
    }

    /// @notice What mpavs adds for on-chain thresholds and the consumer API (issues #17, #15): selectors,
    ///         event topics and errors (values from `cast sig` / `cast keccak`); the reference's are unchanged above.
    function test_thresholdAndConsumerInterface() external view {
        _eq(M(address(0)).confirmStateWithSequence.selector, 0xc00e29d8, "confirmStateWithSequence");
        _eq(M(address(0)).setMinimumThreshold.selector, 0xe8d1fe2f, "setMinimumThreshold");
        _eq(M(address(0)).minimumThresholdPercentage.selector, 0x4aa6d332, "minimumThresholdPercentage");
        _eq(M(address(0)).setCommitteeOrdering.selector, 0x741ff156, "setCommitteeOrdering");
        _eq(M(address(0)).getConfirmedState.selector, 0x9b9d412e, "getConfirmedState");
        _eq(M(address(0)).latestConfirmedState.selector, 0x0d3c6003, "latestConfirmedState");
        _eq(M(address(0)).committeeOrdering.selector, 0xf85083b8, "committeeOrdering");
        _eq(M(address(0)).DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE.selector, 0x574c7cfa, "DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE");
        _ev(IM.MinimumThresholdUpdated.selector, 0x8ca6aa5db4cf2a4baf4afd6b17a876fa7ebc453ce06faebc3e2c56e35254213c, "MinimumThresholdUpdated");
        _ev(IM.CommitteeOrderingUpdated.selector, 0xe83bdc50870ef06b3939fea080dcd9d0f5c40d7240331ef994b6d89ddcd4cde9, "CommitteeOrderingUpdated");
        _ev(IM.ConfirmedStateRecorded.selector, 0x74b203f54a5174473b8113b8b3f65618612f56baf50e550a94933dbe5e9947f1, "ConfirmedStateRecorded");
        _eq(IM.QuorumsMismatch.selector, 0x1331068f, "QuorumsMismatch");
        _eq(IM.ThresholdBelowMinimum.selector, 0x997564ad, "ThresholdBelowMinimum");
        _eq(IM.InvalidThreshold.selector, 0xaabd5a09, "InvalidThreshold");
        _eq(IM.StateAlreadyConfirmed.selector, 0x51047042, "StateAlreadyConfirmed");
        _eq(IM.SequenceMismatch.selector, 0x6535a222, "SequenceMismatch");
    }

    function test_serviceManagerEventsAndErrors() external pure {
        _ev(IM.StateConfirmed.selector, 0xfa10e7f61e3e060beb2a9dab524d6d58b04c90b1ef9ca10367825cf50870e65d, "StateConfirmed");
        _ev(IM.StateConfirmerUpdated.selector, 0xec6e98ff4cc81b828fb5fdd40168f0959b59c3cd95c004ddc2aeb39d44352e98, "StateConfirmerUpdated");
        _ev(IM.PoAManagerUpdated.selector, 0x24a5170be7563b6bf7dd80d648dd7f8971f3836fc77d85c9ce0923ee7365e31c, "PoAManagerUpdated");
        _ev(IM.CommitteeManagerUpdated.selector, 0xb0bb5f603e798b07a529de2cb13eee1f02b35628fe487e1b3cd99adf48e9a0b0, "CommitteeManagerUpdated");
        _ev(IBLSSignatureChecker.StaleStakesForbiddenUpdate.selector, 0x40e4ed880a29e0f6ddce307457fb75cddf4feef7d3ecb0301bfdf4976a0e2dfc, "StaleStakesForbiddenUpdate");
        _ev(Pausable.Paused.selector, 0xab40a374bc51de372200a8bc981af8c9ecdc08dfdaef0bb6e09f88f3c616ef3d, "Paused");
        _ev(Pausable.Unpaused.selector, 0x3582d1828e26bf56bd801502bc021ac0bc8afb57c826e4986b45593c8fad389c, "Unpaused");
        _ev(Pausable.PauserRegistrySet.selector, 0x6e9fcd539896fca60e8b0f01dd580233e48a6b0f7df013b89ba7f565869acdb6, "PauserRegistrySet");
        _ev(Ownable.OwnershipTransferred.selector, 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0, "OwnershipTransferred");
        _ev(Initializable.Initialized.selector, 0x7f26b83ff96e1f2b6a682f133852f6798a09c465da95921460cefb3847402498, "Initialized");
        _eq(IM.NoPermission.selector, 0x9d7b369d, "NoPermission");
        _eq(IM.NotWhitelisted.selector, 0x584a7938, "NotWhitelisted");
        _eq(IM.InvalidSender.selector, 0xddb5de5e, "InvalidSender");
        _eq(IM.InvalidQuorumParam.selector, 0xc9df75a5, "InvalidQuorumParam");
        _eq(IM.InvalidQuorum.selector, 0xd1735779, "InvalidQuorum");
        _eq(IM.InsufficientThreshold.selector, 0xe459c524, "InsufficientThreshold");
        _eq(IM.ZeroAddr.selector, 0xae9954c3, "ZeroAddr");
        _eq(IM.ZeroId.selector, 0xac8fb3c1, "ZeroId");
        _eq(IM.CommitteeNotExist.selector, 0x0a4c6a14, "CommitteeNotExist");
        _eq(IM.CommitteeExist.selector, 0x0064e793, "CommitteeExist");
        _eq(IM.TEEQuorumNotExist.selector, 0x40403daa, "TEEQuorumNotExist");
        _eq(IM.TEEQuorumExist.selector, 0x404565bc, "TEEQuorumExist");
        _eq(IM.TEEQuorumUsed.selector, 0x5e139506, "TEEQuorumUsed");
        _eq(IM.QuorumNotInitialized.selector, 0x8199c773, "QuorumNotInitialized");
    }

    function test_livenessAndAttestationSelectors() external view {
        _eq(T(address(0)).initialize.selector, 0xeb990c59, "initialize");
        _eq(T(address(0)).reinitialize.selector, 0x8087b269, "reinitialize");
        _eq(T(address(0)).changeMaxBlockNumberDiff.selector, 0x6cb5ec95, "changeMaxBlockNumberDiff");
        _eq(T(address(0)).changeAttestationImpl.selector, 0xdd6e7951, "changeAttestationImpl");
        _eq(T(address(0)).changeAttestValiditySeconds.selector, 0x315aa7d9, "changeAttestValiditySeconds");
        _eq(T(address(0)).verifyMrEnclave.selector, 0x18a98d6f, "verifyMrEnclave");
        _eq(T(address(0)).verifyMrSigner.selector, 0xc64b860f, "verifyMrSigner");
        _eq(T(address(0)).submitLivenessProofV2.selector, 0xfb691bbe, "submitLivenessProofV2");
        _eq(T(address(0)).verifyLivenessProof.selector, 0xb72c58b1, "verifyLivenessProof");
        _eq(T(address(0)).verifyLivenessProofV2.selector, 0xa14065dc, "verifyLivenessProofV2");
        _eq(T(address(0)).verifyAttestationV2.selector, 0xce3234b8, "verifyAttestationV2");
        _eq(T(address(0)).estimateBaseFeeVerifyOnChain.selector, 0x4fbb0005, "estimateBaseFeeVerifyOnChain");
        _eq(T(address(0)).attestationVerifier.selector, 0xb4b3c5a0, "attestationVerifier");
        _eq(T(address(0)).attestedProverAddr.selector, 0x80c19970, "attestedProverAddr");
        _eq(T(address(0)).attestedProvers.selector, 0x3b7a3d82, "attestedProvers");
        _eq(T(address(0)).attestedReports.selector, 0x74e1a553, "attestedReports");
        _eq(T(address(0)).attestValiditySeconds.selector, 0x95aa79ca, "attestValiditySeconds");
        _eq(T(address(0)).maxBlockNumberDiff.selector, 0xfeb1cb80, "maxBlockNumberDiff");
        // ours (issue #17 item 1): the signatures the C library encodes (src/contracts/contracts_internal.h)
        _eq(T(address(0)).submitLivenessProofV3.selector, bytes4(keccak256(
            "submitLivenessProofV3(((bytes32,bytes32),uint256,bytes32,bytes32),bytes,(uint256[2],uint256[2]),(uint256,uint256))")),
            "submitLivenessProofV3");
        _eq(T(address(0)).livenessAuthorizationVersion.selector, bytes4(keccak256("livenessAuthorizationVersion()")),
            "livenessAuthorizationVersion");
        _eq(T(address(0)).livenessAuthorizationDigest.selector, bytes4(keccak256(
            "livenessAuthorizationDigest(((bytes32,bytes32),uint256,bytes32,bytes32),address)")), "livenessAuthorizationDigest");
        _eq(IT.INVALID_REPORT.selector, 0xb0c0fe51, "INVALID_REPORT");
        _eq(IT.INVALID_REPORT_DATA.selector, 0xd0e356d5, "INVALID_REPORT_DATA");
        _eq(IT.REPORT_DATA_MISMATCH.selector, 0x50bb84ec, "REPORT_DATA_MISMATCH");
        _eq(A(address(0)).verifyAttestation.selector, 0x769d87e7, "verifyAttestation");
        _eq(A(address(0)).verifyMrEnclave.selector, 0x18a98d6f, "A.verifyMrEnclave");
        _eq(A(address(0)).verifyMrSigner.selector, 0xc64b860f, "A.verifyMrSigner");
        _eq(A(address(0)).estimateBaseFeeVerifyOnChain.selector, 0x4fbb0005, "A.estimateBaseFeeVerifyOnChain");
        _eq(A(address(0)).dcapAttestation.selector, 0x48e9b136, "dcapAttestation");
        _eq(A.INVALID_REPORT.selector, 0xb0c0fe51, "A.INVALID_REPORT");
        _eq(A.INVALID_REPORT_DATA.selector, 0xd0e356d5, "A.INVALID_REPORT_DATA");
        _eq(A.DEBUG_ENCLAVE_NOT_ALLOWED.selector, 0xb8372d3e, "DEBUG_ENCLAVE_NOT_ALLOWED");
        _eq(IAttestation.verifyAndAttestOnChain.selector, 0x38d8480a, "verifyAndAttestOnChain");
        _eq(IAttestation.getBp.selector, 0x6655dddc, "getBp");
    }

    function test_middlewareSelectors() external view {
        _eq(RC(address(0)).registerOperator.selector, 0xa50857bf, "registerOperator");
        _eq(RC(address(0)).registerOperatorWithChurn.selector, 0x9b5d177b, "registerOperatorWithChurn");
        _eq(RC(address(0)).deregisterOperator.selector, 0xca4f2d97, "deregisterOperator");
        _eq(RC(address(0)).updateOperators.selector, 0x00cf2ab5, "updateOperators");
        _eq(RC(address(0)).updateOperatorsForQuorum.selector, 0x5140a548, "updateOperatorsForQuorum");
        _eq(RC(address(0)).updateSocket.selector, 0x0cf4b767, "updateSocket");
        _eq(RC(address(0)).ejectOperator.selector, 0x6e3b17db, "ejectOperator");
        _eq(RC(address(0)).createQuorum.selector, 0xd75b4c88, "createQuorum");
        _eq(RC(address(0)).initialize.selector, 0xdd8283f3, "RC.initialize");
        _eq(RC(address(0)).setOperatorSetParams.selector, 0x5b0b829f, "setOperatorSetParams");
        _eq(RC(address(0)).setChurnApprover.selector, 0x29d1e0c3, "setChurnApprover");
        _eq(RC(address(0)).setEjector.selector, 0x2cdd1e86, "setEjector");
        _eq(RC(address(0)).pubkeyRegistrationMessageHash.selector, 0x3c2a7f4c, "pubkeyRegistrationMessageHash");
        _eq(RC(address(0)).calculateOperatorChurnApprovalDigestHash.selector, 0x84ca5213, "calculateOperatorChurnApprovalDigestHash");
        _eq(RC(address(0)).getOperatorId.selector, 0x13542a4e, "getOperatorId");
        _eq(RC(address(0)).getOperatorFromId.selector, 0x296bb064, "getOperatorFromId");
        _eq(RC(address(0)).getOperatorStatus.selector, 0xfd39105a, "getOperatorStatus");
        _eq(RC(address(0)).getOperator.selector, 0x5865c60c, "getOperator");
        _eq(RC(address(0)).quorumCount.selector, 0x9aa1653d, "quorumCount");
        _eq(RC(address(0)).getCurrentQuorumBitmap.selector, 0x871ef049, "getCurrentQuorumBitmap");
        _eq(RC(address(0)).getQuorumBitmapIndicesAtBlockNumber.selector, 0xc391425e, "getQuorumBitmapIndicesAtBlockNumber");
        _eq(RC(address(0)).getQuorumBitmapAtBlockNumberByIndex.selector, 0x04ec6351, "getQuorumBitmapAtBlockNumberByIndex");
        _eq(RC(address(0)).getQuorumBitmapUpdateByIndex.selector, 0x1eb812da, "getQuorumBitmapUpdateByIndex");
        _eq(RC(address(0)).getQuorumBitmapHistoryLength.selector, 0x03fd3492, "getQuorumBitmapHistoryLength");
        _eq(RC(address(0)).getOperatorSetParams.selector, 0xe65797ad, "getOperatorSetParams");
        _eq(RC(address(0)).quorumUpdateBlockNumber.selector, 0x249a0c42, "quorumUpdateBlockNumber");
        _eq(RC(address(0)).stakeRegistry.selector, 0x68304835, "RC.stakeRegistry");
        _eq(RC(address(0)).blsApkRegistry.selector, 0x5df45946, "RC.blsApkRegistry");
        _eq(RC(address(0)).indexRegistry.selector, 0x9e9923c2, "indexRegistry");
        _eq(RC(address(0)).serviceManager.selector, 0x3998fdd3, "serviceManager");
        _eq(RC(address(0)).registries.selector, 0x6347c900, "registries");
        _eq(RC(address(0)).numRegistries.selector, 0xd72d8dd6, "numRegistries");
        _eq(RC(address(0)).churnApprover.selector, 0x054310e6, "churnApprover");
        _eq(RC(address(0)).ejector.selector, 0x28f61b31, "ejector");
        _eq(RC(address(0)).isChurnApproverSaltUsed.selector, 0x1478851f, "isChurnApproverSaltUsed");
        _eq(RC(address(0)).PUBKEY_REGISTRATION_TYPEHASH.selector, 0x9feab859, "PUBKEY_REGISTRATION_TYPEHASH");
        _eq(RC(address(0)).OPERATOR_CHURN_APPROVAL_TYPEHASH.selector, 0xca0de882, "OPERATOR_CHURN_APPROVAL_TYPEHASH");

        _eq(B(address(0)).getRegisteredPubkey.selector, 0x7ff81a87, "getRegisteredPubkey");
        _eq(B(address(0)).getApk.selector, 0x5f61a884, "getApk");
        _eq(B(address(0)).getApkIndicesAtBlockNumber.selector, 0xd5254a8c, "getApkIndicesAtBlockNumber");
        _eq(B(address(0)).getApkUpdateAtIndex.selector, 0x605747d5, "getApkUpdateAtIndex");
        _eq(B(address(0)).getApkHashAtBlockNumberAndIndex.selector, 0x68bccaac, "getApkHashAtBlockNumberAndIndex");
        _eq(B(address(0)).getApkHistoryLength.selector, 0x377ed99d, "getApkHistoryLength");
        _eq(B(address(0)).getOperatorFromPubkeyHash.selector, 0x47b314e8, "getOperatorFromPubkeyHash");
        _eq(B(address(0)).getOperatorId.selector, 0x13542a4e, "B.getOperatorId");
        _eq(B(address(0)).operatorToPubkeyHash.selector, 0xde29fac0, "operatorToPubkeyHash");
        _eq(B(address(0)).pubkeyHashToOperator.selector, 0xe8bb9ae6, "pubkeyHashToOperator");
        _eq(B(address(0)).operatorToPubkey.selector, 0x00a1f4cb, "operatorToPubkey");
        _eq(B(address(0)).currentApk.selector, 0xa3db80e2, "currentApk");
        _eq(B(address(0)).apkHistory.selector, 0x7916cea6, "apkHistory");
        _eq(B(address(0)).registryCoordinator.selector, 0x6d14a987, "B.registryCoordinator");
        _eq(B(address(0)).registerBLSPublicKey.selector, 0xbf79ce58, "registerBLSPublicKey");

        _eq(S(address(0)).getCurrentStake.selector, 0x5401ed27, "getCurrentStake");
        _eq(S(address(0)).getStakeAtBlockNumber.selector, 0xfa28c627, "getStakeAtBlockNumber");
        _eq(S(address(0)).getStakeUpdateIndexAtBlockNumber.selector, 0xdd9846b9, "getStakeUpdateIndexAtBlockNumber");
        _eq(S(address(0)).getStakeAtBlockNumberAndIndex.selector, 0xf2be94ae, "getStakeAtBlockNumberAndIndex");
        _eq(S(address(0)).getTotalStakeAtBlockNumberFromIndex.selector, 0xc8294c56, "getTotalStakeAtBlockNumberFromIndex");
        _eq(S(address(0)).getTotalStakeIndicesAtBlockNumber.selector, 0x81c07502, "getTotalStakeIndicesAtBlockNumber");
        _eq(S(address(0)).getCurrentTotalStake.selector, 0xd5eccc05, "getCurrentTotalStake");
        _eq(S(address(0)).getTotalStakeHistoryLength.selector, 0x0491b41c, "getTotalStakeHistoryLength");
        _eq(S(address(0)).getTotalStakeUpdateAtIndex.selector, 0xb6904b78, "getTotalStakeUpdateAtIndex");
        _eq(S(address(0)).getLatestStakeUpdate.selector, 0xf851e198, "getLatestStakeUpdate");
        _eq(S(address(0)).getStakeHistory.selector, 0x2cd95940, "getStakeHistory");
        _eq(S(address(0)).getStakeHistoryLength.selector, 0x4bd26e09, "getStakeHistoryLength");
        _eq(S(address(0)).getStakeUpdateAtIndex.selector, 0xac6bfb03, "getStakeUpdateAtIndex");
        _eq(S(address(0)).weightOfOperatorForQuorum.selector, 0x1f9b74e0, "weightOfOperatorForQuorum");
        _eq(S(address(0)).minimumStakeForQuorum.selector, 0xc46778a5, "minimumStakeForQuorum");
        _eq(S(address(0)).strategyParamsLength.selector, 0x3ca5a5f5, "strategyParamsLength");
        _eq(S(address(0)).strategyParamsByIndex.selector, 0xadc804da, "strategyParamsByIndex");
        _eq(S(address(0)).strategyParams.selector, 0x08732461, "strategyParams");
        _eq(S(address(0)).strategiesPerQuorum.selector, 0x9f3ccf65, "strategiesPerQuorum");
        _eq(S(address(0)).delegation.selector, 0xdf5cf723, "S.delegation");
        _eq(S(address(0)).WEIGHTING_DIVISOR.selector, 0x5e5a6775, "WEIGHTING_DIVISOR");
        _eq(S(address(0)).setMinimumStakeForQuorum.selector, 0xbc9a40c3, "setMinimumStakeForQuorum");
        _eq(S(address(0)).addStrategies.selector, 0xc601527d, "addStrategies");
        _eq(S(address(0)).removeStrategies.selector, 0x5f1f2d77, "removeStrategies");
        _eq(S(address(0)).modifyStrategyParams.selector, 0x20b66298, "modifyStrategyParams");

        _eq(I(address(0)).totalOperatorsForQuorum.selector, 0xf3410922, "totalOperatorsForQuorum");
        _eq(I(address(0)).getOperatorListAtBlockNumber.selector, 0x89026245, "getOperatorListAtBlockNumber");
        _eq(I(address(0)).getLatestQuorumUpdate.selector, 0x8121906f, "getLatestQuorumUpdate");
        _eq(I(address(0)).getQuorumUpdateAtIndex.selector, 0xa48bb0ac, "getQuorumUpdateAtIndex");
        _eq(I(address(0)).getOperatorUpdateAtIndex.selector, 0x2ed583e5, "getOperatorUpdateAtIndex");
        _eq(I(address(0)).getLatestOperatorUpdate.selector, 0x12d1d74d, "getLatestOperatorUpdate");
        _eq(I(address(0)).currentOperatorIndex.selector, 0xe2e68580, "currentOperatorIndex");

        _eq(bytes4(keccak256("getOperatorState(address,bytes32,uint32)")), 0xcefdc1d4, "getOperatorState/id");
        _eq(bytes4(keccak256("getOperatorState(address,bytes,uint32)")), 0x3563b0d1, "getOperatorState/quorums");
        _eq(O(address(0)).getCheckSignaturesIndices.selector, 0x4f739f74, "getCheckSignaturesIndices");
        _eq(O(address(0)).getQuorumBitmapsAtBlockNumber.selector, 0x5c155662, "getQuorumBitmapsAtBlockNumber");
    }

    /// @dev Overloads cannot use .selector; check that our contract answers both signatures.
    function test_operatorStateRetrieverOverloadsExist() external {
        O o = new O();
        (bool ok1, ) = address(o).call(abi.encodeWithSelector(0xcefdc1d4, address(0), bytes32(0), uint32(0)));
        (bool ok2, ) = address(o).call(abi.encodeWithSelector(0x3563b0d1, address(0), bytes(""), uint32(0)));
        (bool ok3, bytes memory r3) = address(o).call(abi.encodeWithSelector(0xdeadbeef));
        // the first two revert inside (calls into address 0) rather than on dispatch; an unknown selector reverts with no data
        assertTrue(!ok1 && !ok2 && !ok3 && r3.length == 0, "dispatch");
    }

    function test_coreSelectors() external view {
        _eq(D(address(0)).registerAsOperator.selector, 0x0f589e59, "registerAsOperator");
        _eq(D(address(0)).modifyOperatorDetails.selector, 0xf16172b0, "modifyOperatorDetails");
        _eq(D(address(0)).updateOperatorMetadataURI.selector, 0x99be81c8, "updateOperatorMetadataURI");
        _eq(D(address(0)).delegateTo.selector, 0xeea9064b, "delegateTo");
        _eq(D(address(0)).isOperator.selector, 0x6d70f7ae, "isOperator");
        _eq(D(address(0)).isDelegated.selector, 0x3e28391d, "isDelegated");
        _eq(D(address(0)).delegatedTo.selector, 0x65da1264, "delegatedTo");
        _eq(D(address(0)).operatorDetails.selector, 0xc5e480db, "operatorDetails");
        _eq(D(address(0)).operatorShares.selector, 0x778e55f3, "operatorShares");
        _eq(D(address(0)).getOperatorShares.selector, 0x90041347, "getOperatorShares");
        _eq(D(address(0)).minWithdrawalDelayBlocks.selector, 0xc448feb8, "minWithdrawalDelayBlocks");
        _eq(D(address(0)).initialize.selector, 0x22bf40e4, "D.initialize");
        _eq(D(address(0)).strategyManager.selector, 0x39b70e38, "strategyManager");
        _eq(SM(address(0)).depositIntoStrategy.selector, 0xe7a050aa, "depositIntoStrategy");
        _eq(SM(address(0)).addStrategiesToDepositWhitelist.selector, 0xdf5b3547, "addStrategiesToDepositWhitelist");
        _eq(SM(address(0)).strategyIsWhitelistedForDeposit.selector, 0x663c1de4, "strategyIsWhitelistedForDeposit");
        _eq(SM(address(0)).stakerStrategyShares.selector, 0x7a7e0d92, "stakerStrategyShares");
        _eq(SM(address(0)).setStrategyWhitelister.selector, 0xc6656702, "setStrategyWhitelister");
        _eq(SM(address(0)).initialize.selector, 0xcf756fdf, "SM.initialize");
        _eq(AD(address(0)).initialize.selector, 0x1794bb3c, "AD.initialize");
        _eq(AD(address(0)).calculateOperatorAVSRegistrationDigestHash.selector, 0xa1060c88, "calculateOperatorAVSRegistrationDigestHash");
        _eq(AD(address(0)).domainSeparator.selector, 0xf698da25, "domainSeparator");
        _eq(AD(address(0)).cancelSalt.selector, 0xec76f442, "cancelSalt");
        _eq(AD(address(0)).operatorSaltIsSpent.selector, 0x374823b5, "operatorSaltIsSpent");
        _eq(AD(address(0)).avsOperatorStatus.selector, 0x49075da3, "avsOperatorStatus");
        _eq(AD(address(0)).registerOperatorToAVS.selector, 0x9926ee7d, "AD.registerOperatorToAVS");
        _eq(SB(address(0)).initialize.selector, 0x485cc955, "SB.initialize");
        _eq(SB(address(0)).underlyingToken.selector, 0x2495a599, "underlyingToken");
        _eq(SB(address(0)).totalShares.selector, 0x3a98ef39, "totalShares");
        _eq(SB(address(0)).sharesToUnderlyingView.selector, 0x7a8b2637, "sharesToUnderlyingView");
    }

    function test_middlewareAndCoreEvents() external pure {
        _ev(RC.OperatorRegistered.selector, 0xe8e68cef1c3a761ed7be7e8463a375f27f7bc335e51824223cacce636ec5c3fe, "OperatorRegistered");
        _ev(RC.OperatorDeregistered.selector, 0x396fdcb180cb0fea26928113fb0fd1c3549863f9cd563e6a184f1d578116c8e4, "OperatorDeregistered");
        _ev(RC.OperatorSocketUpdate.selector, 0xec2963ab21c1e50e1e582aa542af2e4bf7bf38e6e1403c27b42e1c5d6e621eaa, "OperatorSocketUpdate");
        _ev(RC.QuorumBlockNumberUpdated.selector, 0x46077d55330763f16269fd75e5761663f4192d2791747c0189b16ad31db07db4, "QuorumBlockNumberUpdated");
        _ev(B.NewPubkeyRegistration.selector, 0xe3fb6613af2e8930cf85d47fcf6db10192224a64c6cbe8023e0eee1ba3828041, "NewPubkeyRegistration");
        _ev(B.OperatorAddedToQuorums.selector, 0x73a2b7fb844724b971802ae9b15db094d4b7192df9d7350e14eb466b9b22eb4e, "OperatorAddedToQuorums");
        _ev(B.OperatorRemovedFromQuorums.selector, 0xf843ecd53a563675e62107be1494fdde4a3d49aeedaf8d88c616d85346e3500e, "OperatorRemovedFromQuorums");
        _ev(S.OperatorStakeUpdate.selector, 0x2f527d527e95d8fe40aec55377743bb779087da3f6d0d08f12e36444da62327d, "OperatorStakeUpdate");
        _ev(I.QuorumIndexUpdate.selector, 0x6ee1e4f4075f3d067176140d34e87874244dd273294c05b2218133e49a2ba6f6, "QuorumIndexUpdate");
        _ev(AD.OperatorAVSRegistrationStatusUpdated.selector, 0xf0952b1c65271d819d39983d2abb044b9cace59bcc4d4dd389f586ebdcb15b41, "OperatorAVSRegistrationStatusUpdated");
        _ev(AD.AVSMetadataURIUpdated.selector, 0xa89c1dc243d8908a96dd84944bcc97d6bc6ac00dd78e20621576be6a3c943713, "AVSMetadataURIUpdated");
        _ev(D.OperatorRegistered.selector, 0x8e8485583a2310d41f7c82b9427d0bd49bad74bb9cff9d3402a29d8f9b28a0e2, "D.OperatorRegistered");
    }
}
