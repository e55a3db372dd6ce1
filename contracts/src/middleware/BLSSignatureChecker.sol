// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";
import {BitmapUtils} from "../libraries/BitmapUtils.sol";
import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";
import {IStakeRegistry} from "../interfaces/IStakeRegistry.sol";
import {IBLSApkRegistry} from "../interfaces/IBLSApkRegistry.sol";
import {IDelegationManager} from "../interfaces/IDelegationManager.sol";
import {IBLSSignatureChecker} from "../interfaces/IBLSSignatureChecker.sol";
import {BLSSignatureCheckerStorage} from "./BLSSignatureCheckerStorage.sol";

/// @title Aggregate BLS signature check over the registries' histories at a reference block.
contract BLSSignatureChecker is BLSSignatureCheckerStorage {
    using BN254 for BN254.G1Point;

    struct NonSignerInfo {
        uint256[] quorumBitmaps;
        bytes32[] pubkeyHashes;
    }

    uint256 internal constant PAIRING_EQUALITY_CHECK_GAS = 120000;

    /// @notice The RegistryCoordinator (the only caller of the registries).
    IRegistryCoordinator public immutable registryCoordinator;
    /// @notice The StakeRegistry.
    IStakeRegistry public immutable stakeRegistry;
    /// @notice The BLSApkRegistry.
    IBLSApkRegistry public immutable blsApkRegistry;
    /// @notice The DelegationManager.
    IDelegationManager public immutable delegation;

    constructor(IRegistryCoordinator _registryCoordinator) {
        registryCoordinator = _registryCoordinator;
        stakeRegistry = _registryCoordinator.stakeRegistry();
        blsApkRegistry = _registryCoordinator.blsApkRegistry();
        delegation = stakeRegistry.delegation();
        staleStakesForbidden = true;
    }

    modifier onlyCoordinatorOwner() {
        if (msg.sender != registryCoordinator.owner()) revert OnlyRegistryCoordinatorOwner();
        _;
    }

    /// @inheritdoc IBLSSignatureChecker
    function setStaleStakesForbidden(bool value) external onlyCoordinatorOwner {
        staleStakesForbidden = value;
        emit StaleStakesForbiddenUpdate(value);
    }

    /// @inheritdoc IBLSSignatureChecker
    function checkSignatures(
        bytes32 msgHash,
        bytes calldata quorumNumbers,
        uint32 referenceBlockNumber,
        NonSignerStakesAndSignature memory params
    ) public view returns (QuorumStakeTotals memory totals, bytes32 signatoryRecordHash) {
        if (quorumNumbers.length == 0) revert InputEmptyQuorumNumbers();
        if (quorumNumbers.length != params.quorumApks.length || quorumNumbers.length != params.quorumApkIndices.length
            || quorumNumbers.length != params.totalStakeIndices.length || quorumNumbers.length != params.nonSignerStakeIndices.length) {
            revert InputArrayLengthMismatch();
        }
        if (params.nonSignerPubkeys.length != params.nonSignerQuorumBitmapIndices.length) revert InputNonSignerLengthMismatch();
        if (referenceBlockNumber >= uint32(block.number)) revert InvalidReferenceBlocknumber();

        BN254.G1Point memory apk = BN254.G1Point(0, 0);
        uint256 signingQuorumBitmap = BitmapUtils.orderedBytesArrayToBitmap(quorumNumbers, registryCoordinator.quorumCount());
        NonSignerInfo memory ns;
        ns.quorumBitmaps = new uint256[](params.nonSignerPubkeys.length);
        ns.pubkeyHashes = new bytes32[](params.nonSignerPubkeys.length);
        for (uint256 j = 0; j < params.nonSignerPubkeys.length; j++) {
            ns.pubkeyHashes[j] = params.nonSignerPubkeys[j].hashG1Point();
            if (j != 0) {
                if (uint256(ns.pubkeyHashes[j]) <= uint256(ns.pubkeyHashes[j - 1])) revert NonSignerPubkeysNotSorted();
            }
            ns.quorumBitmaps[j] = registryCoordinator.getQuorumBitmapAtBlockNumberByIndex(
                ns.pubkeyHashes[j], referenceBlockNumber, params.nonSignerQuorumBitmapIndices[j]
            );
            apk = apk.plus(params.nonSignerPubkeys[j].scalar_mul_tiny(
                BitmapUtils.countNumOnes(ns.quorumBitmaps[j] & signingQuorumBitmap)
            ));
        }
        apk = apk.negate();

        totals.signedStakeForQuorum = new uint96[](quorumNumbers.length);
        totals.totalStakeForQuorum = new uint96[](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            apk = apk.plus(_quorumApkAndStakes(quorumNumbers, i, referenceBlockNumber, params, ns, totals));
        }

        (bool pairingSuccessful, bool signatureIsValid) =
            trySignatureAndApkVerification(msgHash, apk, params.apkG2, params.sigma);
        if (!pairingSuccessful) revert InvalidBLSPairingKey();
        if (!signatureIsValid) revert InvalidBLSSignature();

        signatoryRecordHash = keccak256(abi.encodePacked(referenceBlockNumber, ns.pubkeyHashes));
    }

    /// @dev Checks quorum i's apk against the history, fills its total and signed stake; returns its apk.
    function _quorumApkAndStakes(
        bytes calldata quorumNumbers,
        uint256 i,
        uint32 referenceBlockNumber,
        NonSignerStakesAndSignature memory params,
        NonSignerInfo memory ns,
        QuorumStakeTotals memory totals
    ) internal view returns (BN254.G1Point memory) {
        uint8 q = uint8(quorumNumbers[i]);
        if (staleStakesForbidden) {
            if (registryCoordinator.quorumUpdateBlockNumber(q) + delegation.minWithdrawalDelayBlocks() <= referenceBlockNumber) {
                revert StaleStakesForbidden();
            }
        }
        if (bytes24(params.quorumApks[i].hashG1Point())
                != blsApkRegistry.getApkHashAtBlockNumberAndIndex(q, referenceBlockNumber, params.quorumApkIndices[i])) {
            revert InvalidQuorumApkHash();
        }
        uint96 total = stakeRegistry.getTotalStakeAtBlockNumberFromIndex(q, referenceBlockNumber, params.totalStakeIndices[i]);
        uint96 signed = total - _nonSignerStake(q, referenceBlockNumber, ns, params.nonSignerStakeIndices[i]);
        totals.totalStakeForQuorum[i] = total;
        totals.signedStakeForQuorum[i] = signed;
        return params.quorumApks[i];
    }

    function _nonSignerStake(uint8 q, uint32 referenceBlockNumber, NonSignerInfo memory ns, uint32[] memory stakeIndices)
        internal
        view
        returns (uint96 sum)
    {
        uint256 k = 0;
        for (uint256 j = 0; j < ns.pubkeyHashes.length; j++) {
            if (BitmapUtils.isSet(ns.quorumBitmaps[j], q)) {
                sum += stakeRegistry.getStakeAtBlockNumberAndIndex(q, referenceBlockNumber, ns.pubkeyHashes[j], stakeIndices[k]);
                k++;
            }
        }
    }

    /// @inheritdoc IBLSSignatureChecker
    function trySignatureAndApkVerification(
        bytes32 msgHash,
        BN254.G1Point memory apk,
        BN254.G2Point memory apkG2,
        BN254.G1Point memory sigma
    ) public view returns (bool pairingSuccessful, bool siganatureIsValid) {
        uint256 gamma = uint256(keccak256(abi.encodePacked(
            msgHash, apk.X, apk.Y, apkG2.X[0], apkG2.X[1], apkG2.Y[0], apkG2.Y[1], sigma.X, sigma.Y
        ))) % BN254.FR_MODULUS;
        (pairingSuccessful, siganatureIsValid) = BN254.safePairing(
            sigma.plus(apk.scalar_mul(gamma)),
            BN254.negGeneratorG2(),
            BN254.hashToG1(msgHash).plus(BN254.generatorG1().scalar_mul(gamma)),
            apkG2,
            PAIRING_EQUALITY_CHECK_GAS
        );
    }
}
