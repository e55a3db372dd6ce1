// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";
import {IBLSApkRegistry} from "../interfaces/IBLSApkRegistry.sol";
import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";
import {Initializable} from "../utils/Initializable.sol";
import {BLSApkRegistryStorage} from "./BLSApkRegistryStorage.sol";

/// @title Operator BLS keys (proof of possession checked) and per-quorum aggregate keys with history.
contract BLSApkRegistry is Initializable, BLSApkRegistryStorage {
    using BN254 for BN254.G1Point;

    /// @notice The caller is not the RegistryCoordinator.
    error OnlyRegistryCoordinator();
    /// @notice The quorum was created already.
    error QuorumAlreadyExists();
    /// @notice The G1 key is the point at infinity.
    error ZeroPubKey();
    /// @notice The operator registered a key already.
    error OperatorAlreadyRegistered();
    /// @notice Another operator registered this key.
    error BLSPubkeyAlreadyRegistered();
    /// @notice The proof of possession does not verify, or the G1 and G2 keys differ.
    error InvalidBLSSignatureOrPrivateKey();
    /// @notice The quorum was not created.
    error QuorumDoesNotExist();
    /// @notice The operator registered no key.
    error OperatorNotRegistered();
    /// @notice The block is before the quorum's first aggregate-key update.
    error BlockNumberBeforeFirstUpdate();
    /// @notice The aggregate-key update at that index is younger than the block.
    error BlockNumberTooRecent();
    /// @notice A newer aggregate-key update than the one at that index applies at the block.
    error BlockNumberNotLatest();


    bytes32 internal constant ZERO_PK_HASH = hex"ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5";

    /// @notice The RegistryCoordinator (the only caller of the registries).
    address public immutable registryCoordinator;

    /// @notice `operator` registered BLS key (pubkeyG1, pubkeyG2) (read by the aggregator's key index).
    event NewPubkeyRegistration(address indexed operator, BN254.G1Point pubkeyG1, BN254.G2Point pubkeyG2);
    /// @notice The operator's key was added to the aggregate keys of `quorumNumbers`.
    event OperatorAddedToQuorums(address operator, bytes32 operatorId, bytes quorumNumbers);
    /// @notice The operator's key was removed from the aggregate keys of `quorumNumbers`.
    event OperatorRemovedFromQuorums(address operator, bytes32 operatorId, bytes quorumNumbers);

    constructor(IRegistryCoordinator _registryCoordinator) {
        registryCoordinator = address(_registryCoordinator);
        _disableInitializers();
    }

    modifier onlyRegistryCoordinator() {
        if (!(msg.sender == registryCoordinator)) revert OnlyRegistryCoordinator();
        _;
    }

    /// @notice Adds the operator's key to the aggregate keys of `quorumNumbers`. RegistryCoordinator only.
    function registerOperator(address operator, bytes calldata quorumNumbers) external onlyRegistryCoordinator {
        (BN254.G1Point memory pk, bytes32 id) = getRegisteredPubkey(operator);
        _processQuorumApkUpdate(quorumNumbers, pk);
        emit OperatorAddedToQuorums(operator, id, quorumNumbers);
    }

    /// @notice Removes the operator's key from the aggregate keys of `quorumNumbers`. RegistryCoordinator only.
    function deregisterOperator(address operator, bytes calldata quorumNumbers) external onlyRegistryCoordinator {
        (BN254.G1Point memory pk, bytes32 id) = getRegisteredPubkey(operator);
        _processQuorumApkUpdate(quorumNumbers, pk.negate());
        emit OperatorRemovedFromQuorums(operator, id, quorumNumbers);
    }

    /// @notice Starts a quorum's aggregate-key history. RegistryCoordinator only.
    function initializeQuorum(uint8 quorumNumber) external onlyRegistryCoordinator {
        if (!(apkHistory[quorumNumber].length == 0)) revert QuorumAlreadyExists();
        apkHistory[quorumNumber].push(ApkUpdate(bytes24(0), uint32(block.number), 0));
    }

    /// @notice Registers `operator`'s key after the proof of possession: sigma = sk * H with
    ///         H = pubkeyRegistrationMessageHash(operator), checked together with pkG1/pkG2 equality.
    function registerBLSPublicKey(address operator, PubkeyRegistrationParams calldata params, BN254.G1Point calldata h)
        external
        onlyRegistryCoordinator
        returns (bytes32 operatorId)
    {
        bytes32 pubkeyHash = BN254.hashG1Point(params.pubkeyG1);
        if (!(pubkeyHash != ZERO_PK_HASH)) revert ZeroPubKey();
        if (!(operatorToPubkeyHash[operator] == bytes32(0))) revert OperatorAlreadyRegistered();
        if (!(pubkeyHashToOperator[pubkeyHash] == address(0))) revert BLSPubkeyAlreadyRegistered();

        BN254.G1Point memory pk1 = params.pubkeyG1;
        BN254.G2Point memory pk2 = params.pubkeyG2;
        if (!(_checkPossession(params.pubkeyRegistrationSignature, pk1, pk2, h))) revert InvalidBLSSignatureOrPrivateKey();
        operatorToPubkey[operator] = pk1;
        operatorToPubkeyHash[operator] = pubkeyHash;
        pubkeyHashToOperator[pubkeyHash] = operator;
        emit NewPubkeyRegistration(operator, pk1, pk2);
        return pubkeyHash;
    }

    /// @dev gamma = keccak(sig, pk1, pk2, H) mod r; e(sig + gamma*pk1, -G2) * e(H + gamma*G1, pk2) == 1.
    function _checkPossession(BN254.G1Point memory sig, BN254.G1Point memory pk1, BN254.G2Point memory pk2, BN254.G1Point memory h)
        internal
        view
        returns (bool)
    {
        uint256 gamma = uint256(keccak256(abi.encodePacked(
            sig.X, sig.Y, pk1.X, pk1.Y, pk2.X[0], pk2.X[1], pk2.Y[0], pk2.Y[1], h.X, h.Y
        ))) % BN254.FR_MODULUS;
        return BN254.pairing(
            sig.plus(pk1.scalar_mul(gamma)),
            BN254.negGeneratorG2(),
            h.plus(BN254.generatorG1().scalar_mul(gamma)),
            pk2
        );
    }

    function _processQuorumApkUpdate(bytes calldata quorumNumbers, BN254.G1Point memory point) internal {
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            ApkUpdate[] storage h = apkHistory[q];
            if (!(h.length != 0)) revert QuorumDoesNotExist();
            BN254.G1Point memory apk = currentApk[q].plus(point);
            currentApk[q] = apk;
            bytes24 hash = bytes24(BN254.hashG1Point(apk));
            ApkUpdate storage last = h[h.length - 1];
            if (last.updateBlockNumber == uint32(block.number)) {
                last.apkHash = hash;
            } else {
                last.nextUpdateBlockNumber = uint32(block.number);
                h.push(ApkUpdate(hash, uint32(block.number), 0));
            }
        }
    }

    // ---- views ----

    /// @notice `operator`'s G1 key and its hash (reverts when none).
    function getRegisteredPubkey(address operator) public view returns (BN254.G1Point memory pk, bytes32 id) {
        pk = operatorToPubkey[operator];
        id = operatorToPubkeyHash[operator];
        if (!(id != bytes32(0))) revert OperatorNotRegistered();
    }

    /// @notice For each quorum, the index of its aggregate-key update in force at `blockNumber`.
    function getApkIndicesAtBlockNumber(bytes calldata quorumNumbers, uint256 blockNumber) external view returns (uint32[] memory indices) {
        indices = new uint32[](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            ApkUpdate[] storage h = apkHistory[uint8(quorumNumbers[i])];
            uint256 j = h.length;
            while (j > 0 && h[j - 1].updateBlockNumber > blockNumber) j--;
            if (!(j > 0)) revert BlockNumberBeforeFirstUpdate();
            indices[i] = uint32(j - 1);
        }
    }

    /// @notice A quorum's current aggregate key.
    function getApk(uint8 quorumNumber) external view returns (BN254.G1Point memory) {
        return currentApk[quorumNumber];
    }

    /// @notice A quorum's aggregate-key update `index`.
    function getApkUpdateAtIndex(uint8 quorumNumber, uint256 index) external view returns (ApkUpdate memory) {
        return apkHistory[quorumNumber][index];
    }

    /// @notice The 24-byte aggregate-key hash of update `index`, checked to be the one in force at `blockNumber`.
    function getApkHashAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (bytes24) {
        ApkUpdate memory u = apkHistory[quorumNumber][index];
        if (!(blockNumber >= u.updateBlockNumber)) revert BlockNumberTooRecent();
        if (!(u.nextUpdateBlockNumber == 0 || blockNumber < u.nextUpdateBlockNumber)) revert BlockNumberNotLatest();
        return u.apkHash;
    }

    /// @notice Number of a quorum's aggregate-key updates.
    function getApkHistoryLength(uint8 quorumNumber) external view returns (uint32) {
        return uint32(apkHistory[quorumNumber].length);
    }

    /// @notice The operator that registered the key with this hash (zero: none).
    function getOperatorFromPubkeyHash(bytes32 pubkeyHash) external view returns (address) {
        return pubkeyHashToOperator[pubkeyHash];
    }

    /// @notice `operator`'s id (its key hash; zero: none).
    function getOperatorId(address operator) external view returns (bytes32) {
        return operatorToPubkeyHash[operator];
    }
}
