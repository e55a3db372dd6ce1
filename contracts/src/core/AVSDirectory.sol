// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IDelegationManager} from "../interfaces/IDelegationManager.sol";
import {ISignatureUtils} from "../interfaces/ISignatureUtils.sol";
import {IAVSDirectory} from "../interfaces/IAVSDirectory.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {Pausable} from "../utils/Pausable.sol";
import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";
import {SigUtils} from "../utils/SigUtils.sol";
import {AVSDirectoryStorage} from "./AVSDirectoryStorage.sol";

/// @title Operator <-> AVS registration with the EigenLayer M2 EIP-712 operator signature
///        (domain "EigenLayer" without a version field).
contract AVSDirectory is Initializable, Ownable, Pausable, AVSDirectoryStorage {
    /// @notice The operator's signature expired.
    error SignatureExpired();
    /// @notice The operator is registered with this AVS already.
    error OperatorAlreadyRegisteredToAVS();
    /// @notice The salt was used (or cancelled) already.
    error SaltSpent();
    /// @notice The operator is not registered with the DelegationManager.
    error OperatorNotRegisteredToEigenLayer();
    /// @notice The operator is not registered with this AVS.
    error OperatorNotRegisteredToAVS();


    /// @notice EIP-712 domain type hash (EigenLayer M2: no version field).
    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");
    /// @notice EIP-712 type hash of an operator-to-AVS registration.
    bytes32 public constant OPERATOR_AVS_REGISTRATION_TYPEHASH =
        keccak256("OperatorAVSRegistration(address operator,address avs,bytes32 salt,uint256 expiry)");
    uint8 internal constant PAUSED_OPERATOR_REGISTER_DEREGISTER_TO_AVS = 0;

    /// @notice The DelegationManager.
    IDelegationManager public immutable delegation;

    /// @notice `avs` set its metadata URI.
    event AVSMetadataURIUpdated(address indexed avs, string metadataURI);
    /// @notice `operator`'s registration with `avs` changed to `status`.
    event OperatorAVSRegistrationStatusUpdated(address indexed operator, address indexed avs, OperatorAVSRegistrationStatus status);

    constructor(IDelegationManager _delegation) {
        delegation = _delegation;
        _disableInitializers();
    }

    /// @notice Sets the owner and the pauser. Once, through the proxy.
    function initialize(address initialOwner, IPauserRegistry _pauserRegistry, uint256 initialPausedStatus) external initializer {
        _initializePauser(_pauserRegistry, initialPausedStatus);
        _cachedChainId = block.chainid;
        _cachedDomainSeparator = _calculateDomainSeparator();
        _transferOwnership(initialOwner);
    }

    /// @notice Called by an AVS (msg.sender) to register `operator`, who signed the digest of
    ///         calculateOperatorAVSRegistrationDigestHash(operator, msg.sender, salt, expiry).
    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory operatorSignature)
        external
        onlyWhenNotPaused(PAUSED_OPERATOR_REGISTER_DEREGISTER_TO_AVS)
    {
        if (!(operatorSignature.expiry >= block.timestamp)) revert SignatureExpired();
        if (!(avsOperatorStatus[msg.sender][operator] != OperatorAVSRegistrationStatus.REGISTERED)) revert OperatorAlreadyRegisteredToAVS();
        if (!(!operatorSaltIsSpent[operator][operatorSignature.salt])) revert SaltSpent();
        if (!(delegation.isOperator(operator))) revert OperatorNotRegisteredToEigenLayer();
        SigUtils.checkSignature(
            operator,
            calculateOperatorAVSRegistrationDigestHash(operator, msg.sender, operatorSignature.salt, operatorSignature.expiry),
            operatorSignature.signature
        );
        avsOperatorStatus[msg.sender][operator] = OperatorAVSRegistrationStatus.REGISTERED;
        operatorSaltIsSpent[operator][operatorSignature.salt] = true;
        emit OperatorAVSRegistrationStatusUpdated(operator, msg.sender, OperatorAVSRegistrationStatus.REGISTERED);
    }

    /// @notice Deregisters `operator` from the calling AVS.
    function deregisterOperatorFromAVS(address operator) external onlyWhenNotPaused(PAUSED_OPERATOR_REGISTER_DEREGISTER_TO_AVS) {
        if (!(avsOperatorStatus[msg.sender][operator] == OperatorAVSRegistrationStatus.REGISTERED)) revert OperatorNotRegisteredToAVS();
        avsOperatorStatus[msg.sender][operator] = OperatorAVSRegistrationStatus.UNREGISTERED;
        emit OperatorAVSRegistrationStatusUpdated(operator, msg.sender, OperatorAVSRegistrationStatus.UNREGISTERED);
    }

    /// @notice Emits the calling AVS's metadata URI.
    function updateAVSMetadataURI(string calldata metadataURI) external {
        emit AVSMetadataURIUpdated(msg.sender, metadataURI);
    }

    /// @notice Spends `salt` of the caller so that no signature using it can register.
    function cancelSalt(bytes32 salt) external {
        if (!(!operatorSaltIsSpent[msg.sender][salt])) revert SaltSpent();
        operatorSaltIsSpent[msg.sender][salt] = true;
    }

    /// @notice The EIP-712 digest an operator signs to register with `avs` (domain "EigenLayer", no version).
    function calculateOperatorAVSRegistrationDigestHash(address operator, address avs, bytes32 salt, uint256 expiry)
        public
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(OPERATOR_AVS_REGISTRATION_TYPEHASH, operator, avs, salt, expiry));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    /// @notice This chain's EIP-712 domain separator.
    function domainSeparator() public view returns (bytes32) {
        if (block.chainid == _cachedChainId) return _cachedDomainSeparator;
        return _calculateDomainSeparator();
    }

    function _calculateDomainSeparator() internal view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256(bytes("EigenLayer")), block.chainid, address(this)));
    }
}
